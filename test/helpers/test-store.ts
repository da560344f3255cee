/**
 * In-memory stores for tests. PGlite's initdb costs 2-3 s of CPU per store and even a copy of
 * a migrated one about 1 s to start, and the suite opens hundreds: so each worker keeps the
 * stores its tests have closed and hands them out again, emptied.
 *
 * - The first store of a worker is a copy of one migrated store, made once per test run and
 *   kept in the temp folder under a name that changes with the migrations and PGlite's version,
 *   then migrated as the stub migrates at start-up (nothing left to apply: a few reads).
 * - Closing a test's store empties every table (identities restarted) and puts it back; the
 *   handle the test held answers "PGlite is closed" from then on, as a closed PGlite does, so
 *   late work of one test (a timer, an unawaited write) never lands in the next test's data.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../server-stub/store/database.ts';
import { openStore } from '../../server-stub/store/index.ts';
import { migrate } from '../../server-stub/store/migrate.ts';
import { openPglite } from '../../server-stub/store/pglite.ts';
import { dropSchema } from '../../server-stub/store/postgres.ts';

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
/** Closed stores of this worker, emptied, ready for the next test. */
const idle: Database[] = [];

/** A fresh, migrated, empty in-memory store, as `openStore({})` opens one. */
export async function openTestStore(): Promise<Database> {
  template ??= makeTemplate();
  const store = idle.pop() ?? (await openStore({ from: await template }));
  return lease(store);
}

/** `store` for one test: usable until closed, then emptied and put back. */
function lease(store: Database): Database {
  let closed: Promise<void> | undefined;
  const open = () => {
    if (closed) throw new Error('PGlite is closed');
  };
  return {
    kind: store.kind,
    concurrentTransactions: store.concurrentTransactions,
    query: async (sql, params) => {
      open();
      return store.query(sql, params);
    },
    transaction: async (fn) => {
      open();
      return store.transaction(fn);
    },
    exec: async (sql) => {
      open();
      return store.exec(sql);
    },
    close: () => {
      closed ??= empty(store).then(
        () => void idle.push(store),
        () => store.close(),
      );
      return closed;
    },
  };
}

/** The statement that empties a store: the same for all, copies of one migrated template. */
let truncate: Promise<string> | undefined;

/**
 * Every table but the migrations' emptied in one statement. Queued behind whatever the test
 * left running on this connection (PGlite runs one statement or transaction at a time).
 */
async function empty(store: Database): Promise<void> {
  truncate ??= store
    .query(
      "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'stub_migrations'",
    )
    .then(({ rows }) => {
      const names = rows.map((r) => (r as { name: string }).name).join(', ');
      return `TRUNCATE ${names} RESTART IDENTITY CASCADE`;
    });
  await store.exec(await truncate);
}

/** The PostgreSQL server the store suites also run on (this machine's and CI's). */
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface SuiteStore {
  db: Database;
  cleanup: () => Promise<void>;
}

/**
 * The stores a store suite runs on, each as its name and how to open it: the embedded one (a
 * leased in-memory PGlite), and PostgreSQL in a schema of its own, dropped after, so suites in
 * parallel workers never meet. The same SQL must behave alike on both (store/database.ts).
 */
export const SUITE_STORES: readonly (readonly [
  name: 'PGlite' | 'PostgreSQL',
  open: () => Promise<SuiteStore>,
])[] = [
  ['PGlite', async () => ({ db: await openTestStore(), cleanup: async () => undefined })],
  [
    'PostgreSQL',
    async () => {
      const schema = `stub_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      return {
        db: await openStore({ databaseUrl: PG_URL, schema }),
        cleanup: () => dropSchema(PG_URL, schema),
      };
    },
  ],
];

/**
 * The store of the enclosing `describe`: opened before its tests, closed (its schema dropped)
 * after. What it returns forwards to that store, so a suite's tests use it as a `Database`.
 */
export function suiteStore(open: () => Promise<SuiteStore>): Database {
  let opened: SuiteStore | undefined;
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(async () => {
    await opened?.db.close();
    await opened?.cleanup();
  });
  const db = () => {
    if (!opened) throw new Error('suiteStore: used outside its suite');
    return opened.db;
  };
  return {
    get kind() {
      return db().kind;
    },
    get concurrentTransactions() {
      return db().concurrentTransactions;
    },
    query: (sql, params) => db().query(sql, params),
    transaction: (fn) => db().transaction(fn),
    exec: (sql) => db().exec(sql),
    close: () => db().close(),
  };
}
