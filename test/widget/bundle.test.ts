// @vitest-environment happy-dom
/**
 * The built artifacts, as merchants get them: the script-tag IIFE runs and defines the API,
 * the ES module exports `mount`, declarations exist, locale files match the SRI hashes baked
 * into checkout.js, nothing asks the browser for a card-number or security-code input, and the
 * whole stays within the size budget.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildWidget } from '../../widget/build/build.ts';
import { BUDGET_BYTES, measureWidget } from '../../widget/build/size.ts';
import { sizeBySource, UNMAPPED } from '../../widget/build/size-by-source.ts';

let out = '';
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'widget-'));
  await buildWidget(out);
}, 120_000);
afterAll(() => rm(out, { recursive: true, force: true }));

const read = (f: string) => readFile(join(out, f), 'utf8');

test('checkout.js is a self-contained IIFE that defines window.CyberCheckout', async () => {
  const js = await read('checkout.js');
  expect(js).not.toMatch(/^\s*(import|export)\b/m);
  new Function(js).call(window);
  expect(typeof window.CyberCheckout?.mount).toBe('function');
});

test('checkout.mjs exports mount and version, with declarations beside it', async () => {
  expect(await read('checkout.mjs')).toMatch(/export\s*\{[^}]*\bmount\b/);
  expect(await read('checkout.d.mts')).toContain("export * from './types/index.js'");
  const types = await read('types/index.d.ts');
  expect(types).toContain('mount');
  expect(types).toContain('CheckoutOptions');
  expect(types).not.toMatch(/\.tsx?'/);
});

test("the declarations type-check a strict consumer that uses the events' details and window.CyberCheckout, under Bundler and NodeNext", async () => {
  const consumer = `import { mount, type PaymentMethod, type ReadyDetail } from './checkout.mjs';
const el = document.querySelector<HTMLElement>('#pay');
if (el) {
  mount(el, { endpoint: 'https://shop.example', item: 'tee' }).unmount();
  el.addEventListener('checkout:ready', (e) => { const d: ReadyDetail = e.detail; void d.item.id; });
  el.addEventListener('checkout:error', (e) => void e.detail.code.length);
  el.addEventListener('checkout:change', (e) => { const c: PaymentMethod[] = e.detail.savedCards; void c; });
}
window.CyberCheckout?.mount(document.body, { endpoint: 'https://shop.example', item: 'tee' });
`;
  await writeFile(join(out, 'consumer.ts'), consumer);
  for (const resolution of ['Bundler', 'NodeNext']) {
    const config = {
      compilerOptions: {
        target: 'ES2022',
        module: resolution === 'Bundler' ? 'ESNext' : 'NodeNext',
        moduleResolution: resolution,
        strict: true,
        noEmit: true,
        lib: ['ES2022', 'DOM'],
        skipLibCheck: false,
        types: [],
      },
      files: ['consumer.ts'],
    };
    await writeFile(join(out, 'tsconfig.json'), JSON.stringify(config));
    const tsc = join(process.cwd(), 'node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', out], { encoding: 'utf8' });
    expect(r.stdout + r.stderr, resolution).toBe('');
  }
}, 60_000);

test('each language file matches the SRI hash baked into checkout.js', async () => {
  const js = await read('checkout.js');
  for (const lang of ['fr', 'es', 'de']) {
    const file = await readFile(join(out, `checkout.${lang}.js`));
    const sri = `sha256-${createHash('sha256').update(file).digest('base64')}`;
    expect(js).toContain(sri);
  }
});

test('ASCII only, so a page or CDN without a UTF-8 charset cannot garble the text', async () => {
  for (const f of ['checkout.js', 'checkout.fr.js', 'checkout.es.js', 'checkout.de.js'])
    expect(/[^\t\n\r\x20-\x7e]/.test(await read(f)), f).toBe(false);
});

test('no card-number or security-code input anywhere in the bundle', async () => {
  const js = await read('checkout.js');
  expect(js).not.toMatch(/cc-number|cc-csc|card-number|cardnumber/i);
});

test(`JS + CSS ≤ ${(BUDGET_BYTES / 1024).toFixed(2)} KB gzip, Preact included`, async () => {
  const s = await measureWidget(out);
  expect(s.total, `widget is ${s.total} bytes gzip`).toBeLessThanOrEqual(BUDGET_BYTES);
});

test('the size breakdown (npm run size -- --by-source) names every source it measured', async () => {
  const parts = await sizeBySource(out);
  const { total } = await measureWidget(out);
  const names = parts.map((p) => p.source);
  // Preact and the checkout are the two largest parts; every other name is a widget source.
  expect(names.slice(0, 2).sort()).toEqual(['preact', 'widget/checkout/controller.tsx']);
  expect(names).toContain(UNMAPPED);
  for (const n of names) expect(n).toMatch(/^(preact|widget\/[\w/-]+\.tsx?|\(.+\))$/);
  // Gzip shares its dictionary across parts: their sum falls short of the whole, not far.
  const sum = parts.reduce((a, p) => a + p.bytes, 0);
  expect(sum).toBeLessThanOrEqual(total);
  expect(sum).toBeGreaterThan(total * 0.85);
});
