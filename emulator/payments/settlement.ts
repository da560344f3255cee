/**
 * @module When money "settles" in the emulator: at the first daily batch, 00:00 UTC, after the
 * capture, sale or refund was submitted [inferred: real merchants batch once a day at a
 * configured time]. Before that it can be voided; after it, only refunded.
 */

export function isSettled(submittedAt: Date, now: Date): boolean {
  const d = submittedAt;
  const nextBatch = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  return now.getTime() >= nextBatch;
}
