import { afterEach, describe, expect, it } from 'vitest';
import { periodEnd } from '../server-stub/config/catalog.ts';
import { renewDue } from '../server-stub/renew-due-run.ts';
import { admin } from './server-stub/harness.ts';
import { editAnswers, type HardeningHarness, hardeningHarness, SetupShopper } from './hardening/support.ts';

const DAY = 86_400_000;
let h: HardeningHarness;
afterEach(() => h?.close());

async function subscribe() {
  const r = await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
  expect(r.status).toBe(201);
  return r.body.subscription.id as string;
}
const sub = async (id: string) => (await admin(h)('GET', `/api/admin/subscriptions/${id}`)).body.subscription;
const reprice = (id: string, minor: number) =>
  h.stub.db.query('UPDATE subscriptions SET amount = $2 WHERE id = $1', [id, minor]);

describe('audit', () => {
  it('periodEnd', () => {
    const a = new Date('2024-01-31T10:00:00Z');
    const ends = [1, 2, 3, 4, 13].map((n) => periodEnd(a, 'month', 1, n).toISOString());
    console.log('month ends', ends);
    console.log('leap year', periodEnd(new Date('2024-02-29T00:00:00Z'), 'year', 1, 1).toISOString(), periodEnd(new Date('2024-02-29T00:00:00Z'), 'year', 1, 4).toISOString());
    console.log('3-month', periodEnd(new Date('2024-11-30T00:00:00Z'), 'month', 3, 1).toISOString(), periodEnd(new Date('2024-11-30T00:00:00Z'), 'month', 3, 2).toISOString());
  });

  it('early renew-now decline', async () => {
    h = await hardeningHarness();
    const id = await subscribe();
    await reprice(id, 210_200);
    const before = await sub(id);
    for (let i = 0; i < 4; i++) {
      const r = await admin(h)('POST', `/api/admin/subscriptions/${id}/renewals`, { period: 2 });
      console.log('renew now', r.status, r.body.error?.code, r.body.error?.reason);
      h.clock.advance(DAY);
      console.log(JSON.stringify(await sub(id)));
      h.clock.advance(3 * DAY);
    }
    console.log('periodEnd', before.currentPeriodEnd, 'now', h.clock.now().toISOString());
  });

  it('risk decline renewal without reason', async () => {
    h = await hardeningHarness({
      wrapFetch: (f) =>
        editAnswers(f, (path, body) => {
          if (path === '/pts/v2/payments' && body.status === 'AUTHORIZED_RISK_DECLINED') delete body.errorInformation;
          return undefined;
        }),
    });
    const id = await subscribe();
    await reprice(id, 220_200);
    h.clock.advance(31 * DAY);
    console.log(JSON.stringify(await renewDue(h.stub)));
    console.log(JSON.stringify(await sub(id)));
  });

  it('concurrent refunds', async () => {
    h = await hardeningHarness();
    const paid = await new SetupShopper(h).payNewCard({ id: 'donation', amount: 10_000 });
    const pid = paid.body.payment.id;
    const rs = await Promise.all([
      admin(h)('POST', `/api/admin/payments/${pid}/refunds`, { amount: 6000 }),
      admin(h)('POST', `/api/admin/payments/${pid}/refunds`, { amount: 6000 }),
      admin(h)('POST', `/api/admin/payments/${pid}/refunds`, {}),
    ]);
    console.log(rs.map((r) => [r.status, r.body.error?.code ?? r.body.refund?.amount]));
    console.log(JSON.stringify((await admin(h)('GET', `/api/admin/payments/${pid}`)).body));
  });
});
