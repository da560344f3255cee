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

/** A PGlite store that can be copied: `dump()` is its data directory as a tarball. */
export interface PgliteDatabase extends Database {
  dump(): Promise<Blob>;
}

/**
 * `dataDir` undefined → an in-memory database. `from`: an in-memory database starting as a copy
 * of another's `dump()`, which skips PostgreSQL's initdb (2-3 s of CPU; a copy starts in about
 * 1 s): tests open hundreds of stores from one migrated copy (`test/helpers/test-store.ts`).
 */
export async function openPglite(dataDir?: string, from?: Blob): Promise<PgliteDatabase> {
  if (dataDir !== undefined && from !== undefined)
    throw new Error('a PGlite copy is opened in memory only');
  const db =
    dataDir !== undefined
      ? new PGlite(dataDir)
      : from !== undefined
        ? new PGlite({ loadDataDir: from })
        : new PGlite();
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
    dump: () => db.dumpDataDir('none'),
  };
}
