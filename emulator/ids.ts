/**
 * @module Identifier formats as the real service issues them (API-FACTS §2.6, §3.3).
 */
import { randomBytes, randomInt } from 'node:crypto';

function digits(n: number): string {
  let s = '';
  while (s.length < n) s += randomInt(0, 1_000_000_000).toString().padStart(9, '0');
  return s.slice(0, n);
}

/** 22-digit payment, capture, refund, reversal and void ids, e.g. `6750124114786780104953`. */
export function transactionId(nowMs: number): string {
  // Real ids start with the epoch seconds, which keeps them sortable by time.
  return `${Math.floor(nowMs / 1000)}${digits(12)}`.slice(0, 22);
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function alnum(n: number, alphabet = ALNUM): string {
  const bytes = randomBytes(n);
  let s = '';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

/** 16-character reconciliation id, e.g. `78243988SD9YL291`. */
export function reconciliationId(): string {
  return alnum(16);
}

/**
 * 15-digit network transaction id, e.g. `123456789619999`. Random where the real sandbox answers
 * that one value every time (API-FACTS §6): tests tell by it which payment is cited
 * (payments/README.md "Approval values").
 */
export function networkTransactionId(): string {
  return digits(15);
}

/** 6-digit approval code. */
export function approvalCode(): string {
  return digits(6);
}

/** 32 upper-case hex: TMS customers and payment instruments. */
export function tmsId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** 19-digit instrument identifier id, e.g. `7010000000016241111`. */
export function instrumentIdentifierId(): string {
  return `70${digits(13)}${digits(4)}`;
}

/** 32-character key id, as `flx.jwk.kid` and Flex v1 `keyId`. */
export function flexKeyId(): string {
  return alnum(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
}

/** 64-character transient-token jti. */
export function transientTokenJti(): string {
  return alnum(64);
}

/** v-c-correlation-id style UUID. */
export function correlationId(): string {
  return crypto.randomUUID();
}
