/**
 * @module Builds the widget into `dist/widget/` (or `out`): checkout.js (IIFE) with its
 * checkout.{fr,es,de}.js, checkout.mjs (ES module) with its chunks, and the declarations
 * (`checkout.d.mts` → `types/`). Run with `npm run build:widget`.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  await buildWidget();
  console.warn(`widget built into ${OUT}`);
}
