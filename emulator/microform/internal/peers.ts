/**
 * @module Field iframe ↔ field iframe, on the emulator's origin only.
 *
 * createToken needs the number and the security code together, and they live in two iframes.
 * They meet on a BroadcastChannel named after the microform: a channel is same-origin (and,
 * in Chromium, same top-level site), so the merchant page can neither read nor post to it.
 * The card data never passes through the parent page (MF011 does the same).
 */
import { isRecord, isString } from '../shared/guards.ts';
import { type FieldType, isFieldType } from '../shared/messages.ts';

/** What one field contributes to a token. */
export interface Snapshot {
  field: FieldType;
  valid: boolean;
  data: { number?: string; type?: string; securityCode?: string };
}

export type PeerMessage =
  | { topic: 'dataCollect'; tokenizationId: string }
  | { topic: 'collected'; tokenizationId: string; snapshot: Snapshot }
  | { topic: 'securityCodeLength'; length: 3 | 4 };

export interface Peers {
  publish(message: PeerMessage): void;
  subscribe(handler: (message: PeerMessage) => void): () => void;
}

export function openPeers(microformId: string, fieldId: string): Peers {
  const channel = new BroadcastChannel(`flex-microform-${microformId}`);
  const handlers = new Set<(message: PeerMessage) => void>();
  channel.onmessage = (event: MessageEvent) => {
    const raw: unknown = event.data;
    if (!isRecord(raw) || raw.microformId !== microformId || raw.from === fieldId) return;
    const message = parsePeerMessage(raw.message);
    if (message) for (const handler of handlers) handler(message);
  };
  return {
    publish(message) {
      channel.postMessage({ microformId, from: fieldId, message });
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
}

const DIGITS = /^\d*$/;

function parseSnapshot(value: unknown): Snapshot | undefined {
  if (!isRecord(value) || !isFieldType(value.field) || typeof value.valid !== 'boolean')
    return undefined;
  if (!isRecord(value.data)) return undefined;
  const data: Snapshot['data'] = {};
  for (const key of ['number', 'type', 'securityCode'] as const) {
    const v: unknown = value.data[key];
    if (v === undefined) continue;
    if (!isString(v) || !DIGITS.test(v)) return undefined;
    data[key] = v;
  }
  return { field: value.field, valid: value.valid, data };
}

function parsePeerMessage(value: unknown): PeerMessage | undefined {
  if (!isRecord(value)) return undefined;
  if (value.topic === 'dataCollect' && isString(value.tokenizationId)) {
    return { topic: 'dataCollect', tokenizationId: value.tokenizationId };
  }
  if (value.topic === 'collected' && isString(value.tokenizationId)) {
    const snapshot = parseSnapshot(value.snapshot);
    return snapshot && { topic: 'collected', tokenizationId: value.tokenizationId, snapshot };
  }
  if (value.topic === 'securityCodeLength' && (value.length === 3 || value.length === 4)) {
    return { topic: 'securityCodeLength', length: value.length };
  }
  return undefined;
}
