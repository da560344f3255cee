/**
 * @module Where checkout.js's gzipped bytes come from, by source file: what the file would lose,
 * gzipped, without the characters each source produced (read from the build's hidden source
 * map). Gzip shares a dictionary across the file, so the parts do not add up to the whole
 * exactly; each is what taking that source out would save. Characters no source produced are
 * the inlined CSS (`widget.css?inline` is a string Vite writes in, unmapped) and the bundle's
 * glue.
 */
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decode } from '@jridgewell/sourcemap-codec';
import { OUT, ROOT } from './build.ts';

export const UNMAPPED = '(inlined CSS and glue)';

export interface SourceShare {
  /** A path relative to the repository, `preact` for the library, or `UNMAPPED`. */
  source: string;
  /** Gzip bytes of checkout.js minus gzip bytes without this source's characters. */
  bytes: number;
}

const gzip = (text: string) => gzipSync(text, { level: 9 }).length;

function label(source: string, dir: string): string {
  const path = relative(ROOT, join(dir, source));
  return path.startsWith('node_modules/preact/') ? 'preact' : path;
}

/** Each source's share of gzipped checkout.js, largest first. */
export async function sizeBySource(dir = OUT): Promise<SourceShare[]> {
  const code = await readFile(join(dir, 'checkout.js'), 'utf8');
  const map = JSON.parse(await readFile(join(dir, 'checkout.js.map'), 'utf8')) as {
    sources: string[];
    mappings: string;
  };
  const lines = code.split('\n');
  const decoded = decode(map.mappings);
  // For every source (and UNMAPPED), the code with that source's characters blanked out.
  const owner: string[][] = lines.map((line) => new Array(line.length).fill(UNMAPPED));
  decoded.forEach((segments, lineNo) => {
    const line = owner[lineNo];
    if (!line) return;
    segments.forEach((segment, i) => {
      const end = segments[i + 1]?.[0] ?? line.length;
      const src = segment.length > 1 ? map.sources[segment[1] as number] : undefined;
      const name = src === undefined ? UNMAPPED : label(src, dir);
      line.fill(name, segment[0], end);
    });
  });
  const whole = gzip(code);
  const names = [...new Set(owner.flat())];
  return names
    .map((source) => {
      // By UTF-16 index, as source-map columns count (a spread would count code points).
      const without = lines
        .map((line, n) => {
          let kept = '';
          for (let c = 0; c < line.length; c++) if (owner[n]?.[c] !== source) kept += line[c];
          return kept;
        })
        .join('\n');
      return { source, bytes: whole - gzip(without) };
    })
    .sort((a, b) => b.bytes - a.bytes);
}
