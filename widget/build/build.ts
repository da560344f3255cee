/**
 * @module Builds the widget into `dist/widget/` (or `out`): checkout.js (IIFE) with its
 * checkout.{fr,es,de}.js, checkout.mjs (ES module) with its chunks, and the declarations
 * (`checkout.d.mts` → `types/`). Run with `npm run build:widget`.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'vite';

export const ROOT = resolve(import.meta.dirname, '../..');
export const OUT = join(ROOT, 'dist/widget');

async function* walk(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

/** tsc keeps our `.ts`/`.tsx` import specifiers in declarations; consumers resolve `.js`. */
async function fixDeclarationSpecifiers(dir: string): Promise<void> {
  for await (const file of walk(dir)) {
    if (!file.endsWith('.d.ts')) continue;
    const text = await readFile(file, 'utf8');
    // `from './x.ts'` and a bare `import './x.ts'` (the global declarations) alike.
    await writeFile(file, text.replace(/((?:from|import)\s+'\.{1,2}\/[^']+?)\.tsx?'/g, "$1.js'"));
  }
}

export async function buildWidget(out = OUT): Promise<void> {
  await rm(out, { recursive: true, force: true });
  const configFile = join(ROOT, 'vite.config.ts');
  for (const mode of ['production', 'esm'])
    await build({ root: ROOT, configFile, mode, logLevel: 'warn', build: { outDir: out } });
  const tsc = join(ROOT, 'node_modules/.bin/tsc');
  await promisify(execFile)(tsc, [
    '-p',
    join(ROOT, 'widget/tsconfig.build.json'),
    '--outDir',
    join(out, 'types'),
  ]);
  await fixDeclarationSpecifiers(join(out, 'types'));
  await writeFile(join(out, 'checkout.d.mts'), "export * from './types/index.js';\n");
}

async function newestMtime(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = 0;
  for (const e of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, e)));
  return newest;
}

/**
 * Builds dist/widget only when it is older than what it is built from (the widget's sources,
 * the Vite config, the locked dependencies): `npm start` and the Chromium tests, which run in
 * parallel workers, share it, and `buildWidget` empties it first, so the build is serialised by
 * a lock directory: the first builds, the others find it fresh and leave it as it is.
 */
export async function ensureWidget(): Promise<void> {
  const lock = join(ROOT, 'dist/.widget-build-lock');
  await mkdir(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // A lock left by a crashed run is older than any build takes.
      const age =
        Date.now() -
        (await stat(lock)
          .then((s) => s.mtimeMs)
          .catch(() => Date.now()));
      if (age > 60_000) await rm(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`widget build lock ${lock} is stuck`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const sources = Math.max(
      await newestMtime(join(ROOT, 'widget')),
      await newestMtime(join(ROOT, 'vite.config.ts')),
      await newestMtime(join(ROOT, 'package-lock.json')),
    );
    const built = await stat(join(OUT, 'checkout.js')).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    if (built < sources) await buildWidget();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  await buildWidget();
  console.warn(`widget built into ${OUT}`);
}
