/**
 * One process per PGlite folder (server-stub/store/data-dir-lock.ts): a second process on the
 * same DATA_DIR would overwrite the first one's writes (a renewal recorded by one, lost to the
 * other, charged again). The second open is refused, naming the way that works instead; a lock
 * left by a process that is gone is taken over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  utimes,
  writeFile,
} from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../server-stub/store/data-dir-lock.ts';
import { DataDirLocked, openStore } from '../../server-stub/store/index.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'stub-lock-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid as number;
const ownerFile = (owner: { host?: string; pid: number; boot?: string; started?: string }) =>
  writeFile(
    join(dataDir, 'pglite.pid'),
    JSON.stringify({ host: hostname(), token: 'theirs', ...owner }),
  );
const LOCK = new URL('../../server-stub/store/data-dir-lock.ts', import.meta.url).pathname;

describe('the embedded database folder', () => {
  it('is refused to a second open while the first holds it, and free again after close', async () => {
    const first = await openStore({ dataDir });
    try {
      const second = openStore({ dataDir });
      await expect(second).rejects.toBeInstanceOf(DataDirLocked);
      await expect(second).rejects.toThrow(/POST \/api\/admin\/renew-due.*DATABASE_URL/s);
      await first.query('CREATE TABLE kept (v int)');
    } finally {
      await first.close();
    }
    const again = await openStore({ dataDir });
    try {
      // Nothing the refused open did touched the first one's data.
      expect((await again.query("SELECT to_regclass('kept') AS t")).rows).toEqual([{ t: 'kept' }]);
    } finally {
      await again.close();
    }
  });

  it('is taken over from a process that is gone (killed, crashed)', async () => {
    await ownerFile({ pid: deadPid() });
    const db = await openStore({ dataDir });
    try {
      const owner = JSON.parse(await readFile(join(dataDir, 'pglite.pid'), 'utf8'));
      expect(owner).toMatchObject({ host: hostname(), pid: process.pid });
    } finally {
      await db.close();
    }
  });

  it('is refused while another live process holds it, naming DATA_DIR and that process', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await ownerFile({ pid: holder.pid as number });
      const open = openStore({ dataDir });
      await expect(open).rejects.toThrow(
        `DATA_DIR ${dataDir} is in use by process ${holder.pid} on ${hostname()}`,
      );
    } finally {
      holder.kill();
    }
  });

  it('is refused to a live process here that has not touched it for minutes (paused, suspended)', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await ownerFile({ pid: holder.pid as number });
      const past = new Date(Date.now() - 5 * 60_000);
      await utimes(join(dataDir, 'pglite.pid'), past, past);
      await expect(openStore({ dataDir })).rejects.toThrow(`in use by process ${holder.pid}`);
    } finally {
      holder.kill();
    }
  });

  it('is taken over when its pid now runs another process, or the machine has rebooted since', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      // The owner crashed and its pid went to another process: started at another time.
      await ownerFile({ pid: holder.pid as number, started: '1' });
      const db = await openStore({ dataDir });
      await db.close();
      // Written before a reboot: the pid means nothing now (pid 1 runs, as init).
      await ownerFile({ pid: 1, boot: 'a-boot-before-this-one' });
      const again = await openStore({ dataDir });
      await again.close();
    } finally {
      holder.kill();
    }
  });

  it('is refused while another host or container touches it, and taken over a minute after it stopped', async () => {
    // Another container's pid means nothing here: only the owner's touches say it is alive.
    await ownerFile({ host: 'cron-container', pid: 1 });
    await expect(openStore({ dataDir })).rejects.toThrow('process 1 on cron-container');
    const past = new Date(Date.now() - 61_000);
    await utimes(join(dataDir, 'pglite.pid'), past, past);
    const db = await openStore({ dataDir });
    await db.close();
  });

  it('lets one take over a stale lock when another finds it stale too but is slow to act (a busy start)', async () => {
    await ownerFile({ pid: deadPid() });
    const fast = lockDataDir(dataDir);
    // Found stale at the same moment, taken over 300 ms later (it waited 100 ms and read the
    // file back before: the slow one passed that check too, and both went on).
    const slow = lockDataDir(dataDir, {
      beforeTakeover: () => new Promise((r) => setTimeout(r, 300)),
    });
    const [a, b] = await Promise.allSettled([fast, slow]);
    expect(a.status).toBe('fulfilled');
    expect(b).toMatchObject({ status: 'rejected', reason: expect.any(DataDirLocked) });
    const owner = JSON.parse(await readFile(join(dataDir, 'pglite.pid'), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid });
    // Nothing of the takeover is left behind.
    expect((await readdir(dataDir)).sort()).toEqual(['pglite.pid']);
    if (a.status === 'fulfilled') await a.value();
    expect(existsSync(join(dataDir, 'pglite.pid'))).toBe(false);
  });

  it('passes over a takeover a crash left half-done, once it is old', async () => {
    const stalePid = deadPid();
    await ownerFile({ pid: stalePid });
    const text = await readFile(join(dataDir, 'pglite.pid'), 'utf8');
    const of = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const left = join(dataDir, `pglite.pid.takeover-${of}-1`);
    await mkdir(left);
    // Just now: another process may be inside it.
    await expect(lockDataDir(dataDir)).rejects.toThrow('another process taking it over');
    const past = new Date(Date.now() - 31_000);
    await utimes(left, past, past);
    const release = await lockDataDir(dataDir);
    expect(await readdir(dataDir)).toEqual(['pglite.pid']);
    await release();
  });

  it('never passes over a takeover whose process lives, however long it is paused; at once when it is gone', async () => {
    await ownerFile({ pid: deadPid() });
    const text = await readFile(join(dataDir, 'pglite.pid'), 'utf8');
    const of = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const mutex = join(dataDir, `pglite.pid.takeover-${of}-1`);
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await mkdir(mutex);
      await writeFile(
        join(mutex, 'owner'),
        JSON.stringify({ host: hostname(), pid: holder.pid, token: 'pausing' }),
      );
      // Paused (SIGSTOP, a suspended VM) for minutes inside its takeover: still its.
      const past = new Date(Date.now() - 5 * 60_000);
      await utimes(mutex, past, past);
      await expect(lockDataDir(dataDir)).rejects.toThrow('another process taking it over');
    } finally {
      holder.kill();
    }
    await new Promise((r) => holder.once('exit', r));
    // Its process gone (a crash inside the takeover), the next takes over without waiting.
    await utimes(mutex, new Date(), new Date());
    const release = await lockDataDir(dataDir);
    expect(await readdir(dataDir)).toEqual(['pglite.pid']);
    await release();
  });

  it('lets exactly one of several processes take over a stale lock at once', async () => {
    await ownerFile({ pid: deadPid() });
    const racer = `import { lockDataDir } from ${JSON.stringify(LOCK)};
      lockDataDir(${JSON.stringify(dataDir)}).then(
        async () => { console.log('held'); await new Promise((r) => setTimeout(r, 1500)); },
        (e) => console.log(e.name),
      );`;
    const runs = await Promise.all(
      Array.from(
        { length: 5 },
        () =>
          new Promise<string>((resolve) => {
            const child = spawn(
              process.execPath,
              ['--import', 'tsx', '--input-type=module', '-e', racer],
              { stdio: ['ignore', 'pipe', 'inherit'] },
            );
            let out = '';
            child.stdout.on('data', (d: Buffer) => {
              out += d.toString();
            });
            child.on('exit', () => resolve(out.trim()));
          }),
      ),
    );
    expect(runs.filter((r) => r === 'held')).toHaveLength(1);
    expect(runs.filter((r) => r === 'DataDirLocked')).toHaveLength(4);
  });

  it('runs `npm run renew-due` without writing a cookie key (a job signs no cookie)', async () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server-stub/renew-due.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    // The report is its last line on stdout, whatever the log level.
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({
      renewed: [],
      failed: [],
    });
    expect(run.stdout + run.stderr).not.toContain('COOKIE_SECRET');
    expect(existsSync(join(dataDir, 'cookie-secret'))).toBe(false);
  });

  it('stops `npm run renew-due` beside a running server with a message, not a second writer', async () => {
    const server = await openStore({ dataDir });
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'server-stub/renew-due.ts'], {
        env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      // EX_TEMPFAIL: try later, not the 1 of a renewal that failed.
      expect(run.status).toBe(75);
      expect(run.stderr).toContain(`DATA_DIR ${dataDir} is in use by process ${process.pid} on`);
      expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      await server.close();
    }
  });

  it('is released by `npm run server` that cannot take its port, which says so in one line', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'server-stub/main.ts'], {
        env: {
          ...process.env,
          PORT: String(port),
          DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
          DATABASE_URL: '',
          ADMIN_TOKEN: 'lock-test-admin-token-0123456789',
        },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe(
        `server stub failed to start: port ${port} is in use: is another stub or the demo running? Stop it, or set PORT.`,
      );
      // The folder is free for the next start.
      expect(existsSync(join(dataDir, 'pglite.pid'))).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  /** `npm run server` (or `script`) on `dataDir`, as the user `uid` when given. */
  const startServer = (uid?: number, script = 'server-stub/main.ts') =>
    spawnSync(
      uid === undefined ? process.execPath : 'setpriv',
      [
        ...(uid === undefined
          ? []
          : [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', process.execPath]),
        '--import',
        'tsx',
        script,
      ],
      {
        env: {
          ...process.env,
          PORT: '0',
          DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
          DATABASE_URL: '',
          ADMIN_TOKEN: 'lock-test-admin-token-0123456789',
          SHUTDOWN_TIMEOUT_SECONDS: '1',
        },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );

  it('names DATA_DIR in one line when PGlite cannot open its folder, not a WASM abort', async () => {
    const db = await openStore({ dataDir });
    await db.close();
    await writeFile(join(dataDir, 'pglite', 'PG_VERSION'), 'not a version\n');
    const run = startServer();
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(
      new RegExp(
        `^Invalid configuration:\n {2}DATA_DIR: cannot open the embedded database in ${dataDir}/pglite \\(.+\\); every file under it must belong to the user the stub runs as`,
      ),
    );
    expect(run.stderr).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(existsSync(join(dataDir, 'pglite.pid'))).toBe(false);
  });

  // Switching user needs root (CI and this machine run the suite as root).
  it.skipIf(process.getuid?.() !== 0)(
    'names the file another user left (a renew-due run as root) when the service user starts',
    async () => {
      const db = await openStore({ dataDir });
      await db.close();
      // The service's own folder, one file left by root as PGlite writes its own: 0600.
      spawnSync('chown', ['-R', '65534:65534', dataDir]);
      await chmod(dataDir, 0o755);
      const left = join(dataDir, 'pglite', 'postgresql.auto.conf');
      await writeFile(left, '');
      await chown(left, 0, 0);
      await chmod(left, 0o600);
      const run = startServer(65534);
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe(
        `Invalid configuration:\n  DATA_DIR: cannot open the embedded database in ${dataDir}/pglite (pglite/postgresql.auto.conf is not writable by this user); every file under it must belong to the user the stub runs as and be writable (a renew-due run as root leaves files another user cannot write)`,
      );
      // Given back to the service user, the folder opens (a renew-due run, which exits).
      await chown(left, 65534, 65534);
      const again = startServer(65534, 'server-stub/renew-due.ts');
      expect(again.stderr).not.toContain('DATA_DIR');
      expect(again.status).toBe(0);
    },
    60_000,
  );
});
