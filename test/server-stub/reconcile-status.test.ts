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

  it("reads Decision Manager's reject of an authorized sale as AUTHORIZED_RISK_DECLINED, as a real summary shows it", () => {
    // The real sandbox search summary's applicationInformation (2024), trimmed: no status.
    const rejected = {
      id: '7224284779446843404953',
      applicationInformation: {
        reasonCode: '481',
        rCode: '0',
        rFlag: 'DREJECT',
        applications: [
          { name: 'ics_pa_enroll', reasonCode: '100', rCode: '1', rFlag: 'SOK' },
          { name: 'ics_decision', reasonCode: '481', rCode: '0', rFlag: 'DREJECT' },
          { name: 'ics_decision_early', reasonCode: '100', rCode: '1' },
          { name: 'ics_auth', reasonCode: '100', rCode: '1', rFlag: 'SOK' },
        ],
      },
    };
    expect(statusOf(rejected)).toBe('AUTHORIZED_RISK_DECLINED');
    // Rejected before any authorization: nothing is held.
    const early = {
      id: 'x',
      applicationInformation: {
        rFlag: 'DREJECT',
        applications: [{ name: 'ics_decision_early', rCode: '0', rFlag: 'DREJECT' }],
      },
    };
    expect(statusOf(early)).toBe('DECLINED');
    expect(
      statusOf({
        id: 'x',
        applicationInformation: {
          applications: [
            { name: 'ics_decision', rCode: '1', rFlag: 'DREVIEW' },
            { name: 'ics_auth', rCode: '1', rFlag: 'SOK' },
          ],
        },
      }),
    ).toBe('AUTHORIZED_PENDING_REVIEW');
  });

  it("takes Decision Manager's verdict over a status that reads as paid on a sale it stopped before the capture", () => {
    const flagged = (flag: string, status: string, bill?: string) => ({
      id: 'x',
      applicationInformation: {
        status,
        applications: [
          { name: 'ics_decision', rCode: flag === 'DREJECT' ? '0' : '1', rFlag: flag },
          { name: 'ics_auth', rCode: '1', rFlag: 'SOK' },
          ...(bill ? [{ name: 'ics_bill', rCode: bill }] : []),
        ],
      },
    });
    // Still under review: PENDING describes the authorization, not a capture.
    expect(statusOf(flagged('DREVIEW', 'PENDING'))).toBe('AUTHORIZED_PENDING_REVIEW');
    expect(statusOf(flagged('DREVIEW', 'AUTHORIZED'))).toBe('AUTHORIZED_PENDING_REVIEW');
    expect(statusOf(flagged('DREJECT', 'PENDING'))).toBe('AUTHORIZED_RISK_DECLINED');
    // Accepted: the capture ran, and the status stands.
    expect(statusOf(flagged('DREVIEW', 'PENDING', '1'))).toBe('PENDING');
    expect(statusOf(flagged('DREVIEW', 'TRANSMITTED', '1'))).toBe('TRANSMITTED');
    // Undone since: that stands too (a rejected sale's authorization reversed).
    expect(statusOf(flagged('DREJECT', 'REVERSED'))).toBe('REVERSED');
    // No verdict to weigh: the status stands (a real auth-only record reads PENDING).
    expect(statusOf(found([['ics_auth', '1']], 'PENDING'))).toBe('PENDING');
  });

  it('says nothing for an error or services it does not know: the row waits', () => {
    expect(statusOf(found([['ics_auth', '-1']]))).toBe('');
    expect(statusOf(found([['ics_score', '1']]))).toBe('');
    expect(statusOf({ id: 'x' })).toBe('');
  });
});
