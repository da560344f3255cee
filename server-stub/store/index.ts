/**
 * @module Opening the store: PGlite in DATA_DIR by default, PostgreSQL when DATABASE_URL is
 * set; migrations applied before anything else runs.
 */
import { constants } from 'node:fs';
import { access, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export { DataDirLocked } from './data-dir-lock.ts';
export type { Database, Queryable } from './database.ts';
export { MigrationFailed, StoreNewerThanCode } from './migrate.ts';

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

/**
 * The embedded database's folder cannot be opened by this process. PGlite says so with a WASM
 * abort ("Aborted()", "PGlite failed to initialize properly") and no error code: this names
 * DATA_DIR and the likeliest cause instead.
 */
export class EmbeddedStoreUnusable extends Error {
  constructor(dir: string, reason: string) {
    super(
      `DATA_DIR: cannot open the embedded database in ${dir} (${reason}); every file under it must belong to the user the stub runs as and be writable (a renew-due run as root leaves files another user cannot write)`,
    );
    this.name = 'EmbeddedStoreUnusable';
  }
}

/** The first file or folder under `dir` this process cannot write, if any (none: no `dir`). */
async function unwritable(dir: string): Promise<string | undefined> {
  const names = ['.', ...(await readdir(dir, { recursive: true }).catch(() => []))];
  for (let i = 0; i < names.length; i += 64) {
    const found = await Promise.all(
      names.slice(i, i + 64).map((name) =>
        access(join(dir, name), constants.W_OK).then(
          () => undefined,
          (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : name),
        ),
      ),
    );
    const name = found.find((n) => n !== undefined);
    if (name !== undefined) return name;
  }
  return undefined;
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
    const folder = join(options.dataDir, 'pglite');
    const pglite = await unwritable(folder)
      .then((name) => {
        if (name !== undefined)
          throw new EmbeddedStoreUnusable(
            folder,
            `${join('pglite', name)} is not writable by this user`,
          );
        return openPglite(folder);
      })
      .catch(async (err: unknown) => {
        await release();
        const code = (err as NodeJS.ErrnoException | undefined)?.code;
        if (err instanceof EmbeddedStoreUnusable || typeof code === 'string') throw err;
        throw new EmbeddedStoreUnusable(folder, err instanceof Error ? err.message : String(err));
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
