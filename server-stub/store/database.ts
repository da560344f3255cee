/**
 * @module One small database interface over PGlite (embedded PostgreSQL, the default) and `pg`
 * (a real PostgreSQL when DATABASE_URL is set), so the repositories are the same SQL for both.
 */

export interface QueryResult {
  rows: unknown[];
  affectedRows: number;
}

export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<QueryResult>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'pg';
  /**
   * Whether two transactions can run at once (several connections). PGlite serves one
   * connection and queues everything, so its transactions never interleave; code that must
   * serialise a check and a write across processes locks only where this is true.
   */
  readonly concurrentTransactions: boolean;
  /** Runs `fn` in one transaction; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * `db` as seen from inside one of its transactions: every query goes to `tx`, and a transaction
 * begun there is `tx` itself (no nesting), so code written against a `Database` can run inside
 * a caller's transaction unchanged.
 */
export function within(db: Database, tx: Queryable): Database {
  return { ...db, query: (sql, params) => tx.query(sql, params), transaction: (fn) => fn(tx) };
}
