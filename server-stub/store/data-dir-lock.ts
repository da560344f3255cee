/**
 * @module One process per PGlite folder. PGlite is a single-user PostgreSQL: a second process
 * opening the same folder works on its own copy of the pages, and the two overwrite each other
 * (electric-sql/pglite discussion #987; seen here: a renewal that `npm run renew-due` wrote
 * beside a running server was gone after the server restarted, so it could be charged again).
 * Like PostgreSQL's `postmaster.pid`, a file names the owning process; a file left by a process
 * that is gone (killed, crashed) is taken over.
 */
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export class DataDirLocked extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `DATA_DIR ${dir} is in use by process ${pid}. The embedded database (PGlite) serves one ` +
        'process: renew from the running server (POST /api/admin/renew-due), stop it first, or ' +
        'set DATABASE_URL to share a PostgreSQL server between processes.',
    );
    this.name = 'DataDirLocked';
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

/** Takes `dir` for this process; resolves with the release. Throws `DataDirLocked`. */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = join(dir, 'pglite.pid');
  const me = String(process.pid);
  const owner = async () => Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await writeFile(file, me, { flag: 'wx' });
      held.add(file);
      return async () => {
        held.delete(file);
        if ((await owner()) === process.pid) await unlink(file).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let pid = await owner();
    // Empty: another process has just created it and not yet written its pid.
    if (!(pid > 0)) {
      await delay(50);
      pid = await owner();
    }
    // Our own pid without our own open is a file from an earlier process that had the same pid
    // (a container's server is always pid 1): stale, like one whose process is gone.
    const mine = pid === process.pid && !held.has(file);
    if (pid > 0 && alive(pid) && !mine) throw new DataDirLocked(dir, pid);
    await unlink(file).catch(() => undefined);
  }
  throw new DataDirLocked(dir, await owner());
}
