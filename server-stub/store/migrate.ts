/**
 * @module Plain SQL migrations, applied in order at start-up and recorded in `stub_migrations`.
 * A transaction-scoped advisory lock keeps two starting processes from applying one twice, and
 * from creating `stub_migrations` at once (`CREATE TABLE IF NOT EXISTS` is not safe against a
 * concurrent one in PostgreSQL: the loser fails on `pg_type`'s unique index).
 */
import { readdir, readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const LOCK_ID = 4_104_042;

const Applied = z.object({ id: z.string() });

export async function migrate(db: Database): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS stub_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL)',
    );
  });
  const applied: string[] = [];
  for (const file of files) {
    const sql = await readFile(new URL(file, MIGRATIONS_DIR), 'utf8');
    const done = await db
      .transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
        const seen = await tx.query('SELECT id FROM stub_migrations WHERE id = $1', [file]);
        if (seen.rows.length > 0) return false;
        for (const statement of splitStatements(sql)) await tx.query(statement);
        await tx.query('INSERT INTO stub_migrations (id, applied_at) VALUES ($1, now())', [file]);
        return true;
      })
      .catch((cause: unknown) => {
        throw new MigrationFailed(file, cause);
      });
    if (done) applied.push(file);
  }
  // A database a newer stub migrated: this code would misread the rows that one writes (a
  // column it does not know left at its default), and write rows that one misreads, so a
  // downgrade stops rather than running on it. Looked at last, so a newer process that migrated
  // while this one went through its files is seen too.
  const unknown = (await appliedMigrations(db)).filter((id) => !files.includes(id));
  if (unknown.length > 0) throw new StoreNewerThanCode(unknown);
  return applied;
}

/** A migration file the database refused (rolled back whole; the next start tries it again). */
export class MigrationFailed extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`database migration ${file} failed: ${cause instanceof Error ? cause.message : cause}`, {
      cause,
    });
  }
}

/**
 * The database holds migrations this code does not have: a newer stub ran on it. Starting the
 * newer version again (or restoring the backup taken before the upgrade) is the way back.
 */
export class StoreNewerThanCode extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `the database was migrated by a newer version of the stub (${unknown.join(', ')} not in this one), whose rows this version would misread: run that version, or restore the backup taken before upgrading`,
    );
  }
}

export async function appliedMigrations(db: Database): Promise<string[]> {
  const r = await db.query('SELECT id FROM stub_migrations ORDER BY id');
  return r.rows.map((row) => Applied.parse(row).id);
}

/**
 * Splits a migration file on `;` at line ends, except inside a `$$` body (a `DO` block), which
 * stays one statement; comment lines go.
 */
function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let inBody = false;
  for (const line of sql.split('\n')) {
    if (line.trim().startsWith('--')) continue;
    current.push(line);
    if ((line.split('$$').length - 1) % 2 === 1) inBody = !inBody;
    if (!inBody && /;\s*$/.test(line)) {
      statements.push(current.join('\n').replace(/;\s*$/, ''));
      current = [];
    }
  }
  statements.push(current.join('\n'));
  return statements.map((s) => s.trim()).filter(Boolean);
}
