/**
 * @module The embedded database: PGlite in DATA_DIR (or in memory for tests). PGlite serves
 * one connection and queues queries, so a transaction is never interleaved with another one.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.ts';

interface PgliteLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; affectedRows?: number }>;
}

const wrap = (db: PgliteLike): Queryable => ({
  async query(sql, params = []): Promise<QueryResult> {
    const r = await db.query(sql, params);
    return { rows: r.rows, affectedRows: r.affectedRows ?? 0 };
  },
});

/** `dataDir` undefined → an in-memory database. */
export async function openPglite(dataDir?: string): Promise<Database> {
  const db = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
  await db.waitReady;
  const q = wrap(db);
  return {
    kind: 'pglite',
    concurrentTransactions: false,
    query: q.query,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    exec: async (sql) => {
      await db.exec(sql);
    },
    close: () => db.close(),
  };
}
