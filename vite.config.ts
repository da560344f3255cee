/**
 * Vite library build of the checkout widget (issue 5). Two passes, chosen by `--mode`:
 * - default: `dist/widget/checkout.js`, the IIFE for `<script>` tags (`window.CyberCheckout`),
 *   plus `checkout.{fr,es,de}.js`, loaded on demand with SRI hashes baked into checkout.js;
 * - `esm`:   `dist/widget/checkout.mjs` (+ one chunk per language) for bundlers.
 * Preact and the CSS are inlined in both; `widget/build/build.ts` runs both and emits the types.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { de } from './widget/i18n/de.ts';
import { es } from './widget/i18n/es.ts';
import { fr } from './widget/i18n/fr.ts';

/** The body of `checkout.<lang>.js`: registers the messages where `load-script.ts` looks. */
const localeScript = (lang: string, dict: object) =>
  `(self.CyberCheckoutLocales=self.CyberCheckoutLocales||{}).${lang}=${ascii(JSON.stringify(dict))};\n`;

/** JSON with \uXXXX escapes: the file reads the same whatever charset it is served with. */
const ascii = (json: string) =>
  json.replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

const LOCALES = Object.entries({ fr, es, de }).map(([lang, dict]) => {
  const source = localeScript(lang, dict);
  return { lang, source, sri: `sha256-${createHash('sha256').update(source).digest('base64')}` };
});

/**
 * Property names that only preact's code uses in checkout.js. Never a name that crosses the
 * bundle's edge (options, callbacks' details, JSON, DOM) or that preact compares as a string
 * (`key`, `ref`, `children`, `dangerouslySetInnerHTML`…).
 */
const PREACT_ONLY = new RegExp(
  `^(${[
    '__[a-zA-Z]?',
    '_sb',
    'vnode',
    'diffed',
    'debounceRendering',
    'setState',
    'forceUpdate',
    'contextType',
    'defaultProps',
    'getChildContext',
    'getDerivedStateFrom(Props|Error)',
    'getSnapshotBeforeUpdate',
    'shouldComponentUpdate',
    'component(Will|Did)(Mount|Update|ReceiveProps|Unmount|Catch)',
  ].join('|')})$`,
);

/** Swaps the dynamic-import loader for the SRI script loader and emits the language files. */
const localeScripts: Plugin = {
  name: 'cyber-checkout-locale-scripts',
  enforce: 'pre',
  resolveId(source, importer) {
    if (source === './load.ts' && importer?.replace(/\\/g, '/').endsWith('/widget/i18n/locale.ts'))
      return fileURLToPath(new URL('./widget/i18n/load-script.ts', import.meta.url));
    return undefined;
  },
  generateBundle() {
    for (const l of LOCALES)
      this.emitFile({ type: 'asset', fileName: `checkout.${l.lang}.js`, source: l.source });
  },
};

export default defineConfig(({ mode }) => {
  const esm = mode === 'esm';
  return {
    publicDir: false,
    // Classic `h(type, props, ...children)` calls: shorter than the automatic runtime's
    // `jsx(type, {...props, children: [...]})` and no second vnode factory in the bundle
    // (tsconfig.json's automatic runtime still types the same JSX). `development: false` even
    // when NODE_ENV is not production (vitest builds the bundle in test/widget/bundle.test.ts).
    oxc: {
      jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment', development: false },
      jsxInject: "import { h, Fragment } from 'preact'",
    },
    plugins: esm ? [] : [localeScripts],
    define: {
      __LOCALE_SRI__: JSON.stringify(Object.fromEntries(LOCALES.map((l) => [l.lang, l.sri]))),
    },
    build: {
      outDir: 'dist/widget',
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      // Browsers with CSS light-dark() (2024), so lightningcss keeps it instead of a longer fallback.
      cssTarget: ['chrome123', 'edge123', 'firefox120', 'safari17.5'],
      // No `//# sourceMappingURL` comment in what every shopper downloads; the .map files are
      // still written beside the bundles.
      sourcemap: 'hidden',
      reportCompressedSize: false,
      rolldownOptions: {
        output: {
          // ASCII-only output: a merchant page or CDN without a UTF-8 charset must not garble "…".
          charset: 'ascii',
          // Preact is bundled inside and nothing outside the bundle reaches it (no preact
          // export, no devtools, no add-ons), so the names only preact uses get one-letter names
          // in the script-tag build: its private fields (`__k`, `_sb`…: preact's own mangle.json),
          // its option hooks, and the class-component API the widget never uses (it renders
          // plain functions). Renamed consistently across the bundle; rendering is unchanged.
          ...(!esm && { minify: { mangleProps: { include: PREACT_ONLY } } }),
        },
      },
      lib: esm
        ? { entry: 'widget/index.ts', formats: ['es'], fileName: () => 'checkout.mjs' }
        : {
            entry: 'widget/embed/iife.ts',
            formats: ['iife'],
            name: 'CyberCheckoutBundle',
            fileName: () => 'checkout.js',
          },
    },
  };
});
