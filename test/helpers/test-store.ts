/**
 * In-memory stores for tests, each a copy of one migrated store: PGlite's initdb costs 2-3 s
 * of CPU per store, a copy about 1 s, and the suite opens hundreds. The migrated store is made
 * once per test run and kept in the temp folder under a name that changes with the migrations
 * and PGlite's version, so every test file and worker copies the same one. Each copy is then
 * migrated as the stub migrates at start-up (nothing left to apply: a few reads).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../server-stub/store/database.ts';
import { openStore } from '../../server-stub/store/index.ts';
import { migrate } from '../../server-stub/store/migrate.ts';
import { openPglite } from '../../server-stub/store/pglite.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MIGRATIONS = join(ROOT, 'server-stub/store/migrations');
const PGLITE_PACKAGE = join(ROOT, 'node_modules/@electric-sql/pglite/package.json');

async function templateFile(): Promise<string> {
  const hash = createHash('sha256').update(await readFile(PGLITE_PACKAGE));
  for (const file of (await readdir(MIGRATIONS)).sort())
    hash.update(file).update(await readFile(join(MIGRATIONS, file)));
  return join(tmpdir(), `cybercheckout-store-${hash.digest('hex').slice(0, 16)}.tar`);
}

async function makeTemplate(): Promise<Blob> {
  const file = await templateFile();
  const kept = await readFile(file).catch(() => undefined);
  if (kept) return new Blob([kept]);
  const db = await openPglite();
  try {
    await migrate(db);
    const dump = await db.dump();
    // Written aside and renamed: a worker reading it meanwhile never sees half a file.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  } finally {
    await db.close();
  }
}

let template: Promise<Blob> | undefined;

/** A fresh, migrated in-memory store, as `openStore({})` opens one. */
export async function openTestStore(): Promise<Database> {
  template ??= makeTemplate();
  return openStore({ from: await template });
}
