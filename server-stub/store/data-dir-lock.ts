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
 * for a minute. A takeover replaces the
 * file whole and reads it back after a moment: of several processes taking over at once, only
 * the one whose token is still there goes on.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
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
/** How long a takeover waits before reading the file back. */
const SETTLE_MS = 100;

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

async function readOwner(file: string): Promise<(Owner & { touchedMs: number }) | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    const o = JSON.parse(text) as Partial<Owner>;
    if (typeof o.host !== 'string' || typeof o.pid !== 'number' || typeof o.token !== 'string')
      return undefined;
    return {
      host: o.host,
      pid: o.pid,
      token: o.token,
      ...(typeof o.boot === 'string' ? { boot: o.boot } : {}),
      ...(typeof o.started === 'string' ? { started: o.started } : {}),
      touchedMs: info.mtimeMs,
    };
  } catch {
    return undefined;
  }
}

function stale(file: string, o: Owner & { touchedMs: number }): boolean {
  // Another host's pids mean nothing here: only its touches say it is alive.
  if (o.host !== hostname()) return Date.now() - o.touchedMs > STALE_MS;
  // Here the pid decides, whatever the file's age: a server paused for a while (SIGSTOP, a
  // debugger, a suspended machine) has not touched it, and is still writing once resumed.
  // Our own pid without our own open is a file from an earlier process that had the same pid
  // (a container's server is always pid 1).
  if (o.pid === process.pid) return !held.has(file);
  // Written before a reboot, or its pid now another process's (one that crashed, its pid
  // reused): where the machine says so, the owner is gone.
  const boot = bootId();
  if (o.boot && boot && o.boot !== boot) return true;
  const started = startTime(o.pid);
  if (o.started && started && o.started !== started) return true;
  return !alive(o.pid);
}

/** Takes `dir` for this process; resolves with the release. Throws `DataDirLocked`. */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
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
  const mine = async () => (await readOwner(file))?.token === me.token;
  let taken = false;
  try {
    await writeFile(file, text, { flag: 'wx' });
    taken = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (!taken) {
    let owner = await readOwner(file);
    // Unreadable: another process has just created it and not yet written it, or a crash did.
    if (!owner) {
      await delay(SETTLE_MS);
      owner = await readOwner(file);
    }
    if (owner && !stale(file, owner))
      throw new DataDirLocked(dir, `process ${owner.pid} on ${owner.host}`);
    const temp = `${file}.${me.token}`;
    await writeFile(temp, text);
    await rename(temp, file);
    await delay(SETTLE_MS);
    if (!(await mine())) throw new DataDirLocked(dir, 'another process taking it over');
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
