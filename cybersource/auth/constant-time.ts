import { timingSafeEqual } from 'node:crypto';

/** Compares two strings without leaking where they first differ (RELIABILITY-FACTS §3.5). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  // timingSafeEqual needs equal lengths; compare against itself to keep the timing flat.
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}
