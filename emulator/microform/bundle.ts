/**
 * @module Building the browser halves of the emulated Microform from TypeScript, in memory.
 *
 * esbuild bundles each entry (the library for the merchant page, the script of the field
 * iframes) into one IIFE once per process; the served bytes are exactly these.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export type BrowserEntry = 'library' | 'field';

const ENTRIES: Record<BrowserEntry, string> = {
  library: fileURLToPath(new URL('./external/index.ts', import.meta.url)),
  field: fileURLToPath(new URL('./internal/index.ts', import.meta.url)),
};

const BANNERS: Record<BrowserEntry, string> = {
  library:
    '/*! Emulated Flex Microform v2 (cybersource-checkout emulator): not CyberSource code. */',
  field: '/*! Emulated Flex Microform v2 field iframe (cybersource-checkout emulator). */',
};

const cache = new Map<BrowserEntry, Promise<string>>();

export function bundle(entry: BrowserEntry): Promise<string> {
  let pending = cache.get(entry);
  if (!pending) {
    pending = build({
      entryPoints: [ENTRIES[entry]],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: ['es2022'],
      minify: true,
      legalComments: 'inline',
      banner: { js: BANNERS[entry] },
      logLevel: 'silent',
    }).then((result) => {
      const file = result.outputFiles[0];
      if (!file) throw new Error(`esbuild produced no output for ${entry}`);
      return file.text;
    });
    // A failed build is retried on the next request rather than cached.
    pending.catch(() => cache.delete(entry));
    cache.set(entry, pending);
  }
  return pending;
}
