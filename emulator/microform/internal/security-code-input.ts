/**
 * @module The security-code input: digits only, as long as the detected brand requires
 * (3, or 4 for Amex: the number field tells it over the peer channel) or the `maxLength` option.
 * `change` payload `{empty, couldBeValid, valid}` (API-FACTS §5.4, MF011 semantics).
 */
import type { Snapshot } from './peers.ts';

export interface SecurityCodeState {
  empty: boolean;
  couldBeValid: boolean;
  valid: boolean;
}

export interface SecurityCodeInput {
  state(): SecurityCodeState;
  snapshot(): Snapshot;
  setLength(length: 3 | 4): void;
  clear(): void;
}

export function securityCodeInput(
  input: HTMLInputElement,
  onChange: (state: SecurityCodeState) => void,
): SecurityCodeInput {
  let length: 3 | 4 = 3;
  let state: SecurityCodeState = { empty: true, couldBeValid: false, valid: false };
  input.maxLength = length;

  const assess = () => {
    const n = input.value.length;
    state = { empty: n < 1, couldBeValid: n > 0 && n <= length, valid: n === length };
    input.classList.toggle('valid', state.valid);
    input.classList.toggle('invalid', !state.couldBeValid && !state.empty);
  };
  const update = () => {
    input.value = input.value.replace(/\D/g, '').slice(0, length);
    assess();
    onChange(state);
  };
  input.addEventListener('input', update);

  return {
    state: () => state,
    snapshot: () => ({
      field: 'securityCode',
      valid: state.valid,
      data: { securityCode: input.value },
    }),
    setLength(next) {
      if (next === length) return;
      length = next;
      input.maxLength = next;
      if (input.value) update();
    },
    clear: () => {
      input.value = '';
      update();
    },
  };
}
