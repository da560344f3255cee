/**
 * PostgreSQL as several stub processes meet it: started at the same moment on a fresh database
 * (each runs the migrations), and losing idle connections while running (a server restart, a
 * failover, an administrator, `idle_session_timeout`). Against the real server CI runs.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { expect, it } from 'vitest';
import type { Database } from '../../server-stub/store/database.ts';
import { openStore } from '../../server-stub/store/index.ts';
import { appliedMigrations } from '../../server-stub/store/migrate.ts';
import { dropSchema } from '../../server-stub/store/postgres.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schemaName = () => `conn_${randomBytes(6).toString('hex')}`;

/**
 * A store on its own schema whose connections carry a name of their own, so `end()` can have the
 * server terminate exactly them; `lost` collects what `onConnectionLost` heard.
 */
async function namedStore() {
  const schema = schemaName();
  const app = `stub_${schema}`;
  const lost: string[] = [];
  const db = await openStore({
    databaseUrl: `${PG_URL}?application_name=${app}`,
    schema,
    onConnectionLost: (err) => lost.push(err.message),
  });
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  return {
    db,
    lost,
    end: () =>
      admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [app],
      ),
    close: async () => {
      await admin.end();
      await db.close();
      await dropSchema(PG_URL, schema);
    },
  };
}

it('several processes starting at once on a fresh database all start, each migration applied once', async () => {
  // Each round a fresh schema, four stores opened together (the race needs no more).
  for (let round = 0; round < 4; round += 1) {
    const schema = schemaName();
    const opened = await Promise.allSettled(
      Array.from({ length: 4 }, () => openStore({ databaseUrl: PG_URL, schema })),
    );
    const dbs = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    try {
      expect(opened.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(
        Array(4).fill('ok'),
      );
      const applied = await appliedMigrations(dbs[0] as Database);
      expect(new Set(applied).size).toBe(applied.length);
    } finally {
      for (const db of dbs) await db.close();
      await dropSchema(PG_URL, schema);
    }
  }
}, 60_000);

it('a pooled connection the server ends is reported, not fatal, and the next query reconnects', async () => {
  const { db, lost, end, close } = await namedStore();
  try {
    await db.query('SELECT 1');
    expect((await end()).rowCount).toBeGreaterThan(0);
    // The pool hears of it when the idle client's socket reports the termination.
    await expect.poll(() => lost.length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(lost[0]).toMatch(/terminating connection/);
    expect((await db.query('SELECT 2 AS n')).rows).toEqual([{ n: 2 }]);
  } finally {
    await close();
  }
});

it('a connection the server ends inside a transaction fails that transaction only, and is not put back', async () => {
  const { db, lost, end, close } = await namedStore();
  try {
    const failed = db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await end();
      // The termination reaches the client while the transaction still holds it.
      await new Promise((r) => setTimeout(r, 200));
      await tx.query('SELECT 2');
    });
    await expect(failed).rejects.toThrow();
    await expect.poll(() => lost.length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect((await db.query('SELECT 3 AS n')).rows).toEqual([{ n: 3 }]);
    expect(await db.transaction(async (tx) => (await tx.query('SELECT 4 AS n')).rows)).toEqual([
      { n: 4 },
    ]);
  } finally {
    await close();
  }
});
