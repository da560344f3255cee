/**
 * Starts the emulator in its own process (so load generator and server do not share a core's
 * event loop) and resolves with its URL once it listens.
 */
import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Resolves once the emulator has `keys` one-time RSA keys ready. Throws after `timeoutMs`
 * rather than letting a benchmark start short of keys: every checkout past the pool would wait
 * for a key to be generated, and the figure would measure that (it once read 7.8 checkouts/s
 * instead of about 48 when the pool missed a two-minute deadline by a few keys).
 */
export async function waitForKeyPool(
  url: string,
  keys: number,
  timeoutMs = 300_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ready = 0;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/__emulator/key-pool`);
    ({ ready } = (await res.json()) as { ready: number });
    if (ready >= keys) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`emulator key pool: ${ready} of ${keys} RSA keys after ${timeoutMs / 1000} s`);
}

export interface ChildEmulator {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function startChildEmulator(env: Record<string, string> = {}): Promise<ChildEmulator> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts'], {
    env: { ...process.env, ...env, EMULATOR_PORT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out}`)), 20_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          child,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}): ${out}`)));
  });
}
