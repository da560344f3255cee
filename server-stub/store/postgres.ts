/**
 * @module A real PostgreSQL through `pg` (DATABASE_URL). `schema` puts every table in its own
 * schema through the connection's search_path; tests use one per run so parallel runs on the
 * same server never collide.
 */
import pg from 'pg';
import type { Database, Queryable, QueryResult } from './database.ts';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const SCHEMA_LOCK_ID = 4_104_043;

interface PgClientLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

const wrap = (c: PgClientLike): Queryable => ({
  async query(sql, params = []): Promise<QueryResult> {
    const r = await c.query(sql, params);
    return { rows: r.rows, affectedRows: r.rowCount ?? 0 };
  },
});

export async function openPostgres(
  url: string,
  options: {
    schema?: string;
    max?: number;
    onConnectionLost?: (err: Error) => void;
  } = {},
): Promise<Database> {
  const schema = options.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error('invalid schema name');
  if (schema !== undefined) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // Under a lock: two at once would race on `pg_namespace`'s unique index (IF NOT EXISTS
      // checks before it inserts).
      await admin.query('BEGIN');
      await admin.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_ID]);
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await admin.query('COMMIT');
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle pooled connection that fails (PostgreSQL restarted or failed over, an administrator
  // ended it, idle_session_timeout) is emitted on the pool: without a listener Node throws and
  // the process dies. The pool has already dropped it; the next query opens a new one.
  pool.on('error', (err) => options.onConnectionLost?.(err));
  const q = wrap(pool);
  return {
    kind: 'pg',
    concurrentTransactions: true,
    query: q.query,
    async transaction(fn) {
      const client = await pool.connect();
      // Checked out, the client is no longer the pool's to watch: a connection ended under a
      // transaction emits on the client, which with no listener kills the process (the
      // transaction's statements fail on their own). Heard here, and the client is then
      // destroyed rather than put back.
      let lost: Error | undefined;
      const onLost = (err: Error) => {
        lost = err;
        options.onConnectionLost?.(err);
      };
      client.on('error', onLost);
      try {
        // READ COMMITTED whatever the server's default: every statement then takes a fresh
        // snapshot, which the decline caps rely on (the count after the advisory lock sees
        // what the lock's previous holder committed; limits/decline-guard.ts).
        await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.off('error', onLost);
        client.release(lost);
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/** Drops a test schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new Error('invalid schema name');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}
