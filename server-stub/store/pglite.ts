/**
 * @module The embedded database: PGlite in DATA_DIR (or in memory for tests). PGlite serves
 * one connection and queues queries, so a transaction is never interleaved with another one.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.ts';
import { PreparedStatements } from './pglite-prepared.ts';

interface PgliteLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; affectedRows?: number }>;
  /** A transaction's: true once committed or rolled back. */
  readonly closed?: boolean;
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
  const prepared = new PreparedStatements(db);
  // A statement with parameters runs prepared (`pglite-prepared.ts`), under the locks PGlite's
  // own `query` takes: its transaction lock at the top level (no statement lands inside another
  // caller's transaction), its query lock inside one. One without (DDL, BEGIN) goes through
  // `query` unchanged.
  const query = async (sql: string, params: unknown[] = []): Promise<QueryResult> => {
    if (params.length === 0) return wrap(db).query(sql);
    await db._checkReady(); // "PGlite is closed", as its own `query` says
    return db._runExclusiveTransaction(() =>
      db._runExclusiveQuery(async () => {
        const result = await prepared.run(sql, params);
        await db.syncToFs();
        return result;
      }),
    );
  };
  const inTransaction = (tx: PgliteLike): Queryable => ({
    query: async (sql, params = []) => {
      if (params.length === 0) return wrap(tx).query(sql);
      // A handle kept past its transaction must not write into whichever transaction runs
      // next (it holds no transaction lock): refused, as PGlite's own `tx.query` refuses it.
      if (tx.closed) throw new Error('Transaction is closed');
      return db._runExclusiveQuery(() => prepared.run(sql, params));
    },
  });
  return {
    kind: 'pglite',
    concurrentTransactions: false,
    query,
    transaction: (fn) => db.transaction((tx) => fn(inTransaction(tx))),
    exec: async (sql) => {
      await db.exec(sql);
    },
    close: () => db.close(),
  };
}
