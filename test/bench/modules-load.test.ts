/**
 * `npm run bench` runs outside Vitest, and its modules share the tests' harnesses: one that
 * calls Vitest when imported (a timeout set at a harness's top level) stopped the whole bench
 * at its first line, and no test noticed. Every benchmark module is imported here by plain
 * Node, as `npm run bench` does, without running a benchmark.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
/**
 * Scripts, which start their work when loaded: `run.ts` runs every benchmark, the memory soak
 * (its own command) soaks, and the soak's emulator listens.
 */
const SCRIPTS = new Set(['run.ts', 'memory-soak.ts', 'soak-emulator.ts']);

it('imports every benchmark module outside Vitest', () => {
  const modules = readdirSync(join(ROOT, 'bench'))
    .filter((f) => f.endsWith('.ts') && !SCRIPTS.has(f))
    .map((f) => pathToFileURL(join(ROOT, 'bench', f)).href);
  expect(modules.length).toBeGreaterThan(5);
  const env = { ...process.env };
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `for (const m of ${JSON.stringify(modules)}) await import(m);`,
    ],
    { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
}, 60_000);
