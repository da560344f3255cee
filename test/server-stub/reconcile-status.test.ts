/**
 * What the reconciler reads as a found transaction's status when CyberSource leaves `status` out
 * ("may not be returned for all transactions"): a decline from the reply codes, nothing else.
 */
import { describe, expect, it } from 'vitest';
import { statusOf } from '../../server-stub/reconcile/lookup.ts';

const found = (apps: [string, string][], status?: string) => ({
  id: '7000000000000000000001',
  ...(status ? { status } : {}),
  applicationInformation: { applications: apps.map(([name, rCode]) => ({ name, rCode })) },
});

describe('statusOf', () => {
  it('takes the status when there is one, top level first', () => {
    expect(statusOf(found([['ics_auth', '0']], 'AUTHORIZED'))).toBe('AUTHORIZED');
    expect(
      statusOf({ id: 'x', applicationInformation: { status: 'DECLINED', applications: [] } }),
    ).toBe('DECLINED');
  });

  it.each([
    [[['ics_auth', '0']], 'DECLINED'],
    [
      [
        ['ics_auth', '1'],
        ['ics_bill', '0'],
      ],
      'DECLINED',
    ],
    [[['ics_credit', '0']], 'DECLINED'],
  ] as [[string, string][], string][])('reads %j as %s without a status', (apps, want) => {
    expect(statusOf(found(apps))).toBe(want);
  });

  it('never reads success codes as paid without a status: held for review and voided look alike', () => {
    // A sale held for review: authorized, not captured.
    expect(statusOf(found([['ics_auth', '1']]))).toBe('');
    // A captured sale, or a refund, that a timeout void may have undone since.
    expect(
      statusOf(
        found([
          ['ics_auth', '1'],
          ['ics_bill', '1'],
        ]),
      ),
    ).toBe('');
    expect(statusOf(found([['ics_credit', '1']]))).toBe('');
  });

  it('says nothing for an error or services it does not know: the row waits', () => {
    expect(statusOf(found([['ics_auth', '-1']]))).toBe('');
    expect(statusOf(found([['ics_score', '1']]))).toBe('');
    expect(statusOf({ id: 'x' })).toBe('');
  });
});
