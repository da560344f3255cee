/**
 * @module A field that will not run: say why, in the iframe and to the page.
 *
 * The message is shown inside the iframe (where the merchant sees the empty field) and logged
 * in its console; the page's field also gets an `error` event. It carries no card data, so it
 * may be posted to any origin: the refused page is exactly who needs to read it.
 */
import type { MicroformErrorData } from '../shared/errors.ts';
import { envelope } from '../shared/messages.ts';

export function refuse(error: MicroformErrorData, fieldId?: string): void {
  const note = document.createElement('p');
  note.className = 'refusal';
  note.setAttribute('role', 'alert');
  note.textContent = `${error.reason}: ${error.message}`;
  document.body.replaceChildren(note);
  console.error(`MicroformError ${error.reason}: ${error.message}`);
  if (fieldId !== undefined && window.parent !== window) {
    window.parent.postMessage(envelope(fieldId, 'error', { error: { ...error } }), '*');
  }
}
