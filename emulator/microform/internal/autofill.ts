/**
 * @module Browser autofill of the card form inside the number iframe.
 *
 * The number input is `autocomplete="cc-number"`; hidden companions (`cc-name`,
 * `cc-exp-month`, `cc-exp-year`) let the browser fill the whole card at once. Their values
 * go to the page as the `autocomplete` event `{name?, expirationMonth?, expirationYear?}`
 * (API-FACTS §5.4) so the merchant can fill its own expiry fields, then are cleared.
 */
import type { Json } from '../shared/guards.ts';

const COMPANIONS: [string, string][] = [
  ['name', 'cc-name'],
  ['expirationMonth', 'cc-exp-month'],
  ['expirationYear', 'cc-exp-year'],
];

export function addAutofillCompanions(
  form: HTMLFormElement,
  onAutocomplete: (data: Json) => void,
): void {
  const inputs = COMPANIONS.map(([name, token]) => {
    const input = document.createElement('input');
    input.type = 'text';
    input.name = name;
    input.id = `${name}-autocomplete`;
    input.className = 'autocomplete';
    input.setAttribute('autocomplete', token);
    input.tabIndex = -1;
    input.setAttribute('aria-hidden', 'true');
    form.appendChild(input);
    return input;
  });
  let pending = false;
  const report = () => {
    if (pending) return;
    pending = true;
    // Autofill sets several inputs in one go: report them together.
    setTimeout(() => {
      pending = false;
      const data: Json = {};
      for (const input of inputs) if (input.value) data[input.name] = input.value;
      for (const input of inputs) input.value = '';
      if (Object.keys(data).length > 0) onAutocomplete(data);
    }, 5);
  };
  for (const input of inputs) {
    input.addEventListener('input', report);
    input.addEventListener('change', report);
  }
}
