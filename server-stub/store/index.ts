/**
 * @module Opening the store: PGlite in DATA_DIR by default, PostgreSQL when DATABASE_URL is
 * set; migrations applied before anything else runs.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export { DataDirLocked } from './data-dir-lock.ts';
export type { Database, Queryable } from './database.ts';
export { MigrationFailed } from './migrate.ts';

export interface StoreOptions {
  databaseUrl?: string | undefined;
  /** PGlite folder; undefined → in memory. */
  dataDir?: string | undefined;
  /** PostgreSQL schema (tests). */
  schema?: string | undefined;
  /** In memory, starting as a copy of this PGlite `dump()` (tests: a migrated template). */
  from?: Blob | undefined;
  /** PostgreSQL: a pooled connection failed while idle (the server restarted, a timeout). */
  onConnectionLost?: ((err: Error) => void) | undefined;
}

export async function openStore(options: StoreOptions): Promise<Database> {
  let db: Database;
  if (options.databaseUrl) {
    db = await openPostgres(options.databaseUrl, {
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...(options.onConnectionLost ? { onConnectionLost: options.onConnectionLost } : {}),
    });
  } else if (options.dataDir !== undefined) {
    await mkdir(options.dataDir, { recursive: true });
    const release = await lockDataDir(options.dataDir);
    const pglite = await openPglite(join(options.dataDir, 'pglite')).catch(async (err) => {
      await release();
      throw err;
    });
    db = {
      ...pglite,
      close: async () => {
        await pglite.close();
        await release();
      },
    };
  } else {
    db = await openPglite(undefined, options.from);
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
