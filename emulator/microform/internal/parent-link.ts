/**
 * @module The iframe's side of the conversation with the library in the merchant page.
 *
 * Outgoing messages are posted with the checked parent origin as target, so the browser never
 * delivers them elsewhere; incoming ones must come from `window.parent`, from that origin, for
 * this field, in the expected shape.
 */
import type { Json } from '../shared/guards.ts';
import {
  type Command,
  type Envelope,
  envelope,
  type Notification,
  parseCommand,
} from '../shared/messages.ts';

export interface ParentLink {
  send(event: Notification, data?: Json): void;
  onCommand(handler: (command: Envelope<Command>) => void): void;
}

export function parentLink(fieldId: string, parentOrigin: string): ParentLink {
  return {
    send(event, data = {}) {
      window.parent.postMessage(envelope(fieldId, event, data), parentOrigin);
    },
    onCommand(handler) {
      window.addEventListener('message', (event) => {
        if (event.source !== window.parent || event.origin !== parentOrigin) return;
        const command = parseCommand(event.data);
        if (command && command.fieldId === fieldId) handler(command);
      });
    },
  };
}
