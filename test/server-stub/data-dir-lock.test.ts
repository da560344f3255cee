/**
 * One process per PGlite folder (server-stub/store/data-dir-lock.ts): a second process on the
 * same DATA_DIR would overwrite the first one's writes (a renewal recorded by one, lost to the
 * other, charged again). The second open is refused, naming the way that works instead; a lock
 * left by a process that is gone is taken over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLocked, openStore } from '../../server-stub/store/index.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'stub-lock-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid as number;

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
    await writeFile(join(dataDir, 'pglite.pid'), String(deadPid()));
    const db = await openStore({ dataDir });
    try {
      expect(await readFile(join(dataDir, 'pglite.pid'), 'utf8')).toBe(String(process.pid));
    } finally {
      await db.close();
    }
  });

  it('is refused while another live process holds it, naming DATA_DIR and that process', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await writeFile(join(dataDir, 'pglite.pid'), String(holder.pid));
      const open = openStore({ dataDir });
      await expect(open).rejects.toThrow(`DATA_DIR ${dataDir} is in use by process ${holder.pid}`);
    } finally {
      holder.kill();
    }
  });

  it('stops `npm run renew-due` beside a running server with a message, not a second writer', async () => {
    const server = await openStore({ dataDir });
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'server-stub/renew-due.ts'], {
        env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`DATA_DIR ${dataDir} is in use by process ${process.pid}`);
      expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      await server.close();
    }
  });
});
