/**
 * @module `_links` as the real service writes them (API-FACTS §2.6): `{method, href}`, relative
 * hrefs, `authReversal` (not the SDK's `reversal`).
 */
import type { PaymentTxn } from './store.ts';

export const link = (method: 'GET' | 'POST', href: string) => ({ method, href });

/**
 * Authorization: authReversal, self, capture. Sale: void, self (no capture link). A declined
 * payment: self only [inferred]. A held or partial authorization is not captured by a sale, so
 * it answers like an authorization.
 */
export function paymentLinks(p: PaymentTxn): Record<string, { method: string; href: string }> {
  const base = `/pts/v2/payments/${p.id}`;
  if (p.status === 'DECLINED') return { self: link('GET', base) };
  if (p.sale && p.status === 'AUTHORIZED') {
    return { void: link('POST', `${base}/voids`), self: link('GET', base) };
  }
  return {
    authReversal: link('POST', `${base}/reversals`),
    self: link('GET', base),
    capture: link('POST', `${base}/captures`),
  };
}
