import { describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../server-stub/store/database.ts';
import { releaseOrphanKeys, staleLinkedKeys } from '../../server-stub/store/idempotency.ts';
import { migrate } from '../../server-stub/store/migrate.ts';
import { listRefunds } from '../../server-stub/store/refunds.ts';
import {
  listDueSubscriptions,
  listLiveSubscriptionsPaidBy,
  listSubscriptions,
} from '../../server-stub/store/subscriptions.ts';
import { SUITE_STORES, suiteStore } from '../helpers/test-store.ts';

const now = new Date('2026-01-01T00:00:00Z');

/**
 * The plans of every statement `run` sends, sequential scans off; nothing is executed. `sorted`:
 * sorts off too, so a list planned with a Sort has no index that gives its order (on tables
 * this small a sort is cheaper; at production size the planner reads the index in order).
 */
async function plansOf(
  db: Database,
  run: (q: Queryable) => Promise<unknown>,
  { sorted = false } = {},
): Promise<string> {
  const plans: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query('SET LOCAL enable_seqscan = off');
    if (sorted) {
      await tx.query('SET LOCAL enable_sort = off');
      await tx.query('SET LOCAL enable_bitmapscan = off');
    }
    await run({
      async query(sql, params) {
        const r = await tx.query(`EXPLAIN ${sql}`, params);
        plans.push(r.rows.map((row) => Object.values(row as object)[0]).join('\n'));
        return { rows: [], affectedRows: 0 };
      },
    });
  });
  return plans.join('\n');
}

function planSuite(name: string, open: (typeof SUITE_STORES)[number][1]) {
  describe(`store plans on ${name}`, () => {
    const db = suiteStore(open);
    it('reads only unsettled idempotency keys in the reconciler pass (migration 022)', async () => {
      const plans = await plansOf(db, async (q) => {
        await releaseOrphanKeys(q, now);
        await staleLinkedKeys(q, now, 50);
      });
      expect(plans.match(/idempotency_keys_unsettled/g)).toHaveLength(2);
      expect(plans).not.toMatch(/Seq Scan on idempotency_keys/);
    });

    it("lists subscriptions, due ones and a card's live ones through their indexes (migration 023)", async () => {
      const list = await plansOf(
        db,
        async (q) => {
          await listSubscriptions(q, { limit: 50 });
          await listSubscriptions(q, { limit: 50, startingAfter: { createdAt: now, id: 'sub_x' } });
        },
        { sorted: true },
      );
      expect(list.match(/subscriptions_created/g)).toHaveLength(2);
      expect(list).not.toMatch(/Sort/);
      const due = await plansOf(db, (q) => listDueSubscriptions(q, now, 501), { sorted: true });
      // Bounded by now, not read to the end of every live subscription when fewer are due.
      expect(due).toMatch(/Index Scan using subscriptions_due_at[\s\S]*Index Cond: \(COALESCE/);
      expect(due).not.toMatch(/Sort/);
      expect(await plansOf(db, (q) => listLiveSubscriptionsPaidBy(q, 'pi_1'))).toMatch(
        /subscriptions_live_payment_method/,
      );
    });

    it("lists a payment's refunds through their index, in its order (migration 024)", async () => {
      const plan = await plansOf(db, (q) => listRefunds(q, 'pay_1'), { sorted: true });
      expect(plan).toMatch(/Index Scan using refunds_payment/);
      expect(plan).not.toMatch(/Sort/);
    });

    if (name === 'PostgreSQL')
      it('keeps an index built concurrently before the upgrade, and rebuilds one whose build failed', async () => {
        const index = `SELECT indisvalid AS valid, pg_get_indexdef(indexrelid) AS def FROM pg_index
          WHERE indexrelid = to_regclass('idempotency_keys_unsettled')`;
        const { rows: built } = await db.query(index);
        const again = async () => {
          await db.query("DELETE FROM stub_migrations WHERE id = '022_unsettled_keys.sql'");
          expect(await migrate(db)).toEqual(['022_unsettled_keys.sql']);
        };
        // Built by hand (CONCURRENTLY, as the migration's comment says): left as it is.
        await db.query('DROP INDEX idempotency_keys_unsettled');
        await db.query(`CREATE INDEX CONCURRENTLY idempotency_keys_unsettled ON idempotency_keys (created_at)
          WHERE status = 'in_flight' OR (status = 'done' AND response_status = 500)`);
        const { rows: byHand } = await db.query('SELECT to_regclass($1)::oid AS oid', [
          'idempotency_keys_unsettled',
        ]);
        await again();
        expect(
          (await db.query('SELECT to_regclass($1)::oid AS oid', ['idempotency_keys_unsettled']))
            .rows,
        ).toEqual(byHand);
        // A concurrent build that failed (here on duplicates) leaves an invalid index of the name.
        await db.query('DROP INDEX idempotency_keys_unsettled');
        await db.query(`INSERT INTO idempotency_keys (scope, key, request_hash, status, created_at)
          VALUES ('s', 'k1', 'same', 'in_flight', now()), ('s', 'k2', 'same', 'in_flight', now())`);
        await expect(
          db.query(
            'CREATE UNIQUE INDEX CONCURRENTLY idempotency_keys_unsettled ON idempotency_keys (request_hash)',
          ),
        ).rejects.toThrow(/could not create unique index/);
        expect((await db.query(index)).rows).toMatchObject([{ valid: false }]);
        await again();
        expect((await db.query(index)).rows).toEqual(built);
        expect(built).toMatchObject([{ valid: true }]);
      });
  });
}

for (const [name, open] of SUITE_STORES) planSuite(name, open);
