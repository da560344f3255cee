/**
 * The stub as a process (`node --import tsx server-stub/main.ts`), as `npm run server` runs it:
 * for what only a process has (a crash, signals, its exit code). Loopback only, every wait bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const Listening = z.object({ msg: z.literal('stub listening'), port: z.number() });

export interface Child {
  proc: ChildProcess;
  url: string;
  output: string[];
}

/** Starts the stub; resolves with its URL once it logs that it listens (bounded). */
export function startStub(env: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server-stub/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    // A start that timed out is stopped: left running it would hold DATA_DIR's lock, and every
    // later start in the file would fail on that instead of saying what it tests.
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`stub did not start:\n${output.join('')}`));
    }, 25_000);
    proc.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    proc.stdout?.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        output.push(line);
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          continue;
        }
        const l = Listening.safeParse(json);
        if (l.success) {
          clearTimeout(timer);
          resolve({ proc, url: `http://127.0.0.1:${l.data.port}`, output });
        }
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stub exited (${code}):\n${output.join('')}`));
    });
  });
}

export function kill(child: Child | undefined): Promise<void> {
  if (!child || child.proc.exitCode !== null || child.proc.signalCode !== null)
    return Promise.resolve();
  return new Promise((resolve) => {
    child.proc.once('exit', () => resolve());
    child.proc.kill('SIGKILL');
  });
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  detail: () => string = () => '',
  ms = 20_000,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Makes the emulator a stub process talks to hold each answer `ms` (its latency control), so a
 * request is still in flight when the test signals the process.
 */
export async function holdAnswers(emulatorUrl: string, ms: number): Promise<void> {
  const res = await fetch(`${emulatorUrl}/__emulator/latency`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ms }),
  });
  if (res.status !== 204) throw new Error(`emulator latency: ${res.status}`);
}
