/**
 * @module `npm run size`: builds the widget, prints its gzipped size, exits 1 over budget (the
 * CI size gate, after preact's compressed-size workflow: STYLE-ANCHORS §1). The language files
 * are listed too: a French, Spanish or German page also downloads one of them. With
 * `--by-source` (`npm run size -- --by-source`) it also prints what each source file adds.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWidget, OUT } from './build.ts';
import { measureWidget } from './size.ts';
import { sizeBySource } from './size-by-source.ts';

await buildWidget();
const s = await measureWidget();
const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
console.warn(
  `widget size (gzip, CSS inlined): ${kb(s.total)} / CI gate ${kb(s.budget)} (issue 5 target ${kb(s.target)})`,
);
for (const lang of ['fr', 'es', 'de']) {
  const bytes = gzipSync(await readFile(join(OUT, `checkout.${lang}.js`)), { level: 9 }).length;
  console.warn(`  + checkout.${lang}.js ${kb(bytes)} (loaded only for that language)`);
}
if (process.argv.includes('--by-source')) {
  console.warn('what each source adds (gzip of checkout.js without it; shares overlap):');
  for (const { source, bytes } of await sizeBySource())
    console.warn(`  ${String(bytes).padStart(5)} B  ${source}`);
}
if (s.total > s.budget) {
  console.error(
    `widget is ${Math.ceil(s.total - s.budget)} bytes over its ${kb(s.budget)} CI gate`,
  );
  process.exitCode = 1;
}
