import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishSri, sriOf } from '../../../widget/build/sri.ts';

describe('the widget SRI hash', () => {
  it('is sha384 in base64, as browsers check it (W3C SRI example: the empty file)', () => {
    expect(sriOf(new Uint8Array())).toBe(
      'sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb',
    );
  });

  it('is written beside checkout.js and put in the snippet with crossorigin', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sri-'));
    try {
      await writeFile(join(dir, 'checkout.js'), 'console.log(1)\n');
      const { integrity, snippet } = await publishSri(dir, 'https://pay.shop.example/');
      expect(integrity).toBe(sriOf(new TextEncoder().encode('console.log(1)\n')));
      expect(await readFile(join(dir, 'checkout.js.sri'), 'utf8')).toBe(`${integrity}\n`);
      // The build's own address: the digest of the integrity hash, base64url instead of base64.
      const digest = Buffer.from(integrity.slice('sha384-'.length), 'base64').toString('base64url');
      expect(snippet).toContain(`src="https://pay.shop.example/widget/${digest}/checkout.js"`);
      expect(snippet).toContain(`integrity="${integrity}"`);
      expect(snippet).toContain('crossorigin="anonymous"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
