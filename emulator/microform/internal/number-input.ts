/**
 * @module The card-number input: digits only, brand detection among the capture context's
 * `allowedCardNetworks`, spaces as the brand prints them, and the `change` payload
 * (API-FACTS §5.4, §5.6; detection rules in `cybersource/networks`).
 */
import {
  detectNetworks,
  formatCardNumber,
  type MicroformNumberChange,
  microformNumberChange,
  NETWORK_NAMES,
  type NetworkName,
} from '../../../cybersource/networks/index.ts';
import type { Snapshot } from './peers.ts';

/** Microform accepts at most 19 digits (MF011). */
const MAX_DIGITS = 19;

function isNetworkName(name: string): name is NetworkName {
  return NETWORK_NAMES.some((n) => n === name);
}

/** The capture context's networks the emulator knows, in the context's order: for a co-badged
 * card the first allowed network is the preferred brand (`detectNetworks`). */
export function allowedNetworks(names: readonly string[]): NetworkName[] {
  return names.filter(isNetworkName);
}

export interface NumberInput {
  state(): MicroformNumberChange;
  snapshot(): Snapshot;
  clear(): void;
}

export function numberInput(
  input: HTMLInputElement,
  allowed: readonly NetworkName[],
  autoformat: boolean,
  onChange: (state: MicroformNumberChange) => void,
): NumberInput {
  let digits = '';
  let state = microformNumberChange('', allowed);
  input.maxLength = MAX_DIGITS + (autoformat ? 3 : 0);

  const render = (caretDigits: number) => {
    const networks = detectNetworks(digits, allowed);
    const first = networks[0];
    // Co-badged brands that print differently: no spaces rather than the wrong ones (MF011).
    const sameGaps = first && networks.every((n) => n.gaps.join() === first.gaps.join());
    const shown = autoformat && first && sameGaps ? formatCardNumber(digits, first) : digits;
    input.value = shown;
    const longest =
      networks.length > 0 ? Math.max(...networks.flatMap((n) => n.lengths)) : MAX_DIGITS;
    const gaps = autoformat && first && sameGaps ? first.gaps.filter((g) => g < longest).length : 0;
    input.maxLength = Math.max(longest + gaps, shown.length);
    if (document.activeElement === input) {
      const caret = caretPosition(shown, caretDigits);
      input.setSelectionRange(caret, caret);
    }
  };

  const update = () => {
    const caret = input.selectionStart ?? input.value.length;
    const caretDigits = input.value.slice(0, caret).replace(/\D/g, '').length;
    digits = input.value.replace(/\D/g, '').slice(0, MAX_DIGITS);
    state = microformNumberChange(digits, allowed);
    render(Math.min(caretDigits, digits.length));
    input.classList.toggle('valid', state.valid);
    input.classList.toggle('invalid', !state.couldBeValid && !state.empty);
    input.setAttribute('aria-invalid', String(!state.couldBeValid && !state.empty));
    onChange(state);
  };
  input.addEventListener('input', update);

  return {
    state: () => state,
    snapshot: () => ({
      field: 'number',
      valid: state.valid,
      data: { number: digits, ...(state.card[0] ? { type: state.card[0].cybsCardType } : {}) },
    }),
    clear: () => {
      input.value = '';
      update();
    },
  };
}

/** Index in `shown` just after the `count`-th digit. */
function caretPosition(shown: string, count: number): number {
  if (count === 0) return 0;
  let seen = 0;
  for (let i = 0; i < shown.length; i += 1) {
    if (/\d/.test(shown.charAt(i))) seen += 1;
    if (seen === count) return i + 1;
  }
  return shown.length;
}
