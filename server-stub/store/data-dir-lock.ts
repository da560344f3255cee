/**
 * @module One process per PGlite folder. PGlite is a single-user PostgreSQL: a second process
 * opening the same folder works on its own copy of the pages, and the two overwrite each other
 * (electric-sql/pglite discussion #987; seen here: a renewal that `npm run renew-due` wrote
 * beside a running server was gone after the server restarted, so it could be charged again).
 *
 * Like PostgreSQL's `postmaster.pid`, `pglite.pid` names the owner: its host, pid and a token of
 * its own. The owner touches the file every 10 s. A file is stale, and taken over, when its
 * process is gone (same host: the pid is not running, or runs another process, started after a
 * reboot or since the owner's crash, however long ago the file was touched) or,
 * from another host or container (whose pids mean nothing here), when it has not been touched
 * for a minute.
 *
 * The file is never seen half-written: it is written under a name of its own, then linked into
 * place (which fails if one is there). A takeover is decided under a mutex named for the file it
 * replaces (`mkdir`, which has one winner): the winner reads the file again and replaces it only
 * if it is still the stale one, so of several processes taking over at once exactly one goes on,
 * however slow the others are (a fixed wait and a read-back, before, let a process that renamed
 * its file in more than 100 ms after another had checked take the folder too). A mutex names
 * its holder and is passed over once that process is gone (judged as the lock file's owner is),
 * or after 30 s with no holder written or one on another host.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  link,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export class DataDirLocked extends Error {
  constructor(
    readonly dir: string,
    readonly owner: string,
  ) {
    super(
      `DATA_DIR ${dir} is in use by ${owner}. The embedded database (PGlite) serves one ` +
        'process: renew from the running server (POST /api/admin/renew-due), stop it first, or ' +
        'set DATABASE_URL to share a PostgreSQL server between processes.',
    );
    this.name = 'DataDirLocked';
  }
}

const TOUCH_MS = 10_000;
const STALE_MS = 60_000;
/** How long an unreadable file is given to be written (an older version wrote it in place). */
const SETTLE_MS = 100;
/** A takeover's mutex this old was left by a crash: the next one is tried. */
const MUTEX_STALE_MS = 30_000;

interface Owner {
  host: string;
  pid: number;
  token: string;
  /**
   * Which run of this machine, and when in it the process started (Linux `/proc`; absent
   * elsewhere): a pid alive now may be another process that took the pid of one that crashed,
   * before a reboot or after it.
   */
  boot?: string;
  started?: string;
}

/** This machine's boot id (Linux), which changes with every boot. */
function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** When `pid` started, in clock ticks since boot (`/proc/<pid>/stat` field 22). */
function startTime(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name, which may hold spaces and parentheses: field 3 onwards.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Folders this process holds: a second open here is refused like one from another process. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, run by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The file's text, or undefined when there is none. */
async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    if (typeof o.host !== 'string' || typeof o.pid !== 'number' || typeof o.token !== 'string')
      return undefined;
    return {
      host: o.host,
      pid: o.pid,
      token: o.token,
      ...(typeof o.boot === 'string' ? { boot: o.boot } : {}),
      ...(typeof o.started === 'string' ? { started: o.started } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * The file as read once: its text (none when there is no file) and, when that names an owner,
 * the owner with when it last touched the file. The takeover compares that same text.
 */
async function look(
  file: string,
): Promise<{ text?: string; owner?: Owner & { touchedMs: number } }> {
  const text = await readText(file);
  if (text === undefined) return {};
  const [o, info] = [parseOwner(text), await stat(file).catch(() => undefined)];
  return o && info ? { text, owner: { ...o, touchedMs: info.mtimeMs } } : { text };
}

/**
 * Puts `text` at `file` unless a file is there: written whole first, never seen in part. Held
 * (`held`) the moment it is there, so another open in this process never finds it ownerless.
 */
async function create(file: string, text: string, token: string): Promise<boolean> {
  const temp = `${file}.${token}`;
  await writeFile(temp, text);
  try {
    await link(temp, file);
    held.add(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // A file system without hard links: created in place, written at once.
    await writeFile(file, text, { flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    const mine = (await readText(file)) === text;
    if (mine) held.add(file);
    return mine;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * Replaces the file that read `seen` (stale) with `text`, if no other process replaced it first.
 * The mutex is named for what it replaces, so only takeovers of that one file compete for it.
 */
async function takeOver(
  dir: string,
  file: string,
  seen: string,
  text: string,
  token: string,
): Promise<boolean> {
  const of = createHash('sha256').update(seen).digest('hex').slice(0, 16);
  for (let n = 1; ; n++) {
    const mutex = join(dir, `pglite.pid.takeover-${of}-${n}`);
    try {
      await mkdir(mutex);
      // Who holds it, judged like the lock file itself if it is left behind. Gone before this
      // write (ENOENT): the winner of the takeover swept it, so the race is lost.
      await writeFile(join(mutex, 'owner'), text);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!(await mutexLeft(mutex))) return false;
      continue;
    }
    try {
      if ((await readText(file)) !== seen) return false;
      const temp = `${file}.${token}`;
      await writeFile(temp, text);
      await rename(temp, file);
      held.add(file);
      return true;
    } finally {
      await rm(mutex, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

/**
 * A takeover's mutex whose holder is gone: here, by its pid as for the lock file (a holder
 * paused for minutes inside its takeover still holds it); from another host, or with no owner
 * written yet (a crash between its `mkdir` and that write), once it is 30 s old.
 */
async function mutexLeft(mutex: string): Promise<boolean> {
  const [text, age] = await Promise.all([
    readText(join(mutex, 'owner')).catch(() => undefined),
    stat(mutex).then(
      (i) => Date.now() - i.mtimeMs,
      () => 0,
    ),
  ]);
  const o = text === undefined ? undefined : parseOwner(text);
  return o && o.host === hostname() ? gone(o) : age > MUTEX_STALE_MS;
}

/** Takeover mutexes left over (a crash, a racer that lost): the file they were for is replaced. */
async function sweep(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => n.startsWith('pglite.pid.takeover-'))
      .map((n) => rm(join(dir, n), { recursive: true, force: true }).catch(() => undefined)),
  );
}

function stale(file: string, o: Owner & { touchedMs: number }): boolean {
  // Another host's pids mean nothing here: only its touches say it is alive.
  if (o.host !== hostname()) return Date.now() - o.touchedMs > STALE_MS;
  // Here the pid decides, whatever the file's age: a server paused for a while (SIGSTOP, a
  // debugger, a suspended machine) has not touched it, and is still writing once resumed.
  // Our own pid without our own open is a file from an earlier process that had the same pid
  // (a container's server is always pid 1).
  if (o.pid === process.pid) return !held.has(file);
  return gone(o);
}

/** An owner on this host that is no longer running. */
function gone(o: Owner): boolean {
  // Written before a reboot, or its pid now another process's (one that crashed, its pid
  // reused): where the machine says so, the owner is gone.
  const boot = bootId();
  if (o.boot && boot && o.boot !== boot) return true;
  const started = startTime(o.pid);
  if (o.started && started && o.started !== started) return true;
  return !alive(o.pid);
}

/**
 * Takes `dir` for this process; resolves with the release. Throws `DataDirLocked`.
 * `beforeTakeover`: for tests, a pause between finding the file stale and taking it over.
 */
export async function lockDataDir(
  dir: string,
  options: { beforeTakeover?: () => Promise<void> } = {},
): Promise<() => Promise<void>> {
  const file = join(dir, 'pglite.pid');
  const boot = bootId();
  const started = startTime('self');
  const me: Owner = {
    host: hostname(),
    pid: process.pid,
    token: randomUUID(),
    ...(boot ? { boot } : {}),
    ...(started ? { started } : {}),
  };
  const text = JSON.stringify(me);
  const mine = async () =>
    (await look(file).catch(() => ({ owner: undefined }))).owner?.token === me.token;
  if (!(await create(file, text, me.token))) {
    let { text: seen, owner } = await look(file);
    // Unreadable: written in place by an older version that has not finished, or a crash did.
    if (!owner) {
      await delay(SETTLE_MS);
      ({ text: seen, owner } = await look(file));
    }
    if (owner && !stale(file, owner))
      throw new DataDirLocked(dir, `process ${owner.pid} on ${owner.host}`);
    await options.beforeTakeover?.();
    // Gone meanwhile (its owner released it): created like a first start.
    const taken =
      seen === undefined
        ? await create(file, text, me.token)
        : await takeOver(dir, file, seen, text, me.token);
    if (!taken) throw new DataDirLocked(dir, 'another process taking it over');
    await sweep(dir);
  }
  held.add(file);
  const touch = setInterval(() => {
    const now = new Date();
    void utimes(file, now, now).catch(() => undefined);
  }, TOUCH_MS);
  touch.unref();
  return async () => {
    clearInterval(touch);
    held.delete(file);
    if (await mine()) await unlink(file).catch(() => undefined);
  };
}
