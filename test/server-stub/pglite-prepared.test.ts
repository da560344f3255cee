import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../server-stub/store/database.ts';
import { openPglite } from '../../server-stub/store/pglite.ts';
import { PreparedStatements } from '../../server-stub/store/pglite-prepared.ts';
import { signal } from '../helpers/signal.ts';

// The embedded store runs every statement with parameters as a named prepared statement
// (`pglite-prepared.ts`); callers must see exactly what PGlite's own `query` returns.
const NOW = new Date('2026-01-02T03:04:05.678Z');

describe('embedded store: prepared statements', () => {
  let db: Database;
  let reference: PGlite;
  const TABLE = `CREATE TABLE t (
    id text PRIMARY KEY, n integer, big bigint, amount numeric, ok boolean, at timestamptz,
    doc jsonb, tags text[], note text)`;

  beforeAll(async () => {
    db = await openPglite();
    reference = new PGlite();
    await db.exec(TABLE);
    await reference.exec(TABLE);
  });
  afterAll(async () => {
    await db.close();
    await reference.close();
    await expect(db.query('SELECT $1::int', [1])).rejects.toThrow('PGlite is closed');
  });

  const ROW = [
    'a',
    7,
    '9007199254740993',
    '12.50',
    true,
    new Date('2026-01-02T03:04:05.678Z'),
    JSON.stringify({ k: ['v', 1] }),
    ['x', 'y,z'],
    null,
  ];
  const INSERT =
    'INSERT INTO t (id, n, big, amount, ok, at, doc, tags, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)';

  it('returns the rows, types and affected rows PGlite query returns', async () => {
    const mine = await db.query(INSERT, ROW);
    const theirs = await reference.query(INSERT, ROW);
    expect(mine.affectedRows).toBe(1);
    expect(mine.affectedRows).toBe(theirs.affectedRows);
    const read = 'SELECT * FROM t WHERE id = $1';
    const [row] = (await db.query(read, ['a'])).rows;
    expect(row).toEqual((await reference.query(read, ['a'])).rows[0]);
    expect(row).toMatchObject({ n: 7, ok: true, doc: { k: ['v', 1] }, tags: ['x', 'y,z'] });
    expect((row as { at: Date }).at.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    // Run again, now from the cached statement: the same answer.
    expect((await db.query(read, ['a'])).rows).toEqual([row]);
    expect((await db.query(read, ['none'])).rows).toEqual([]);
  });

  it('counts affected rows as PGlite does (a CTE that writes reports its SELECT)', async () => {
    const update = 'UPDATE t SET n = n + $2 WHERE id = $1';
    expect((await db.query(update, ['a', 1])).affectedRows).toBe(1);
    expect((await db.query(update, ['missing', 1])).affectedRows).toBe(0);
    const cte = 'WITH u AS (UPDATE t SET n = n + $2 WHERE id = $1 RETURNING n) SELECT n FROM u';
    const mine = await db.query(cte, ['a', 1]);
    await reference.query(update, ['a', 1]);
    expect(mine).toEqual({ rows: [{ n: 9 }], affectedRows: 0 });
    expect(mine.affectedRows).toBe((await reference.query(cte, ['a', 1])).affectedRows);
  });

  it('throws PostgreSQL errors with their code and stays usable', async () => {
    await expect(db.query(INSERT, ROW)).rejects.toMatchObject({ code: '23505' });
    await expect(db.query('SELECT * FROM nowhere WHERE id = $1', ['a'])).rejects.toMatchObject({
      code: '42P01',
    });
    expect((await db.query('SELECT n FROM t WHERE id = $1', ['a'])).rows).toEqual([{ n: 9 }]);
  });

  it('prepares a statement again when the table it reads changed shape', async () => {
    const read = 'SELECT * FROM t WHERE id = $1';
    await db.query(read, ['a']);
    await db.exec('ALTER TABLE t ADD COLUMN extra text');
    const [row] = (await db.query(read, ['a'])).rows;
    expect(row).toMatchObject({ id: 'a', extra: null });
  });

  it('runs statements unnamed past the cache bound, with the same answers', async () => {
    const raw = new PGlite();
    await raw.waitReady;
    const few = new PreparedStatements(raw, 1);
    const run = (sql: string, params: unknown[]) =>
      raw._runExclusiveQuery(() => few.run(sql, params));
    try {
      for (let i = 0; i < 3; i++) {
        expect((await run('SELECT $1::int + 1 AS n', [i])).rows).toEqual([{ n: i + 1 }]);
        expect((await run('SELECT $1::text AS s', [`v${i}`])).rows).toEqual([{ s: `v${i}` }]);
        expect((await run('SELECT $1::timestamptz AS at', [NOW])).rows).toEqual([{ at: NOW }]);
      }
    } finally {
      await raw.close();
    }
  });

  it('runs inside a transaction, and its rollback undoes it', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(INSERT, ['b', ...ROW.slice(1)]);
        expect((await tx.query('SELECT id FROM t WHERE id = $1', ['b'])).rows).toHaveLength(1);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect((await db.query('SELECT id FROM t WHERE id = $1', ['b'])).rows).toEqual([]);
  });

  it('refuses a transaction handle kept past its transaction', async () => {
    let kept: Queryable | undefined;
    await db.transaction(async (tx) => {
      kept = tx;
    });
    await expect(kept?.query('UPDATE t SET n = $2 WHERE id = $1', ['a', 1])).rejects.toThrow(
      'Transaction is closed',
    );
  });

  it('never lands inside another caller transaction', async () => {
    const inside = signal();
    const release = signal();
    const tx = db.transaction(async (t) => {
      await t.query('UPDATE t SET note = $2 WHERE id = $1', ['a', 'in transaction']);
      inside.fire();
      await release.reached;
      throw new Error('rolled back');
    });
    await inside.reached;
    // Waits for the transaction to end, so it is not rolled back with it.
    const outside = db.query('UPDATE t SET n = $2 WHERE id = $1', ['a', 100]);
    release.fire();
    await expect(tx).rejects.toThrow('rolled back');
    expect((await outside).affectedRows).toBe(1);
    expect((await db.query('SELECT n, note FROM t WHERE id = $1', ['a'])).rows).toEqual([
      { n: 100, note: null },
    ]);
  });
});
