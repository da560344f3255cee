/**
 * The Flex v1 key requested beside each capture context (DESIGN.md flow table) names the page it
 * serves: SPEC2020 calls `targetOrigin` "Required to comply with CORS and CSP standards".
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, harness, Shopper } from './harness.ts';

const bodies: unknown[] = [];
let h: Harness;
let upstream: typeof fetch | undefined;
beforeAll(async () => {
  h = await harness({
    fetch: async (input, init) => {
      if (String(input).endsWith('/flex/v1/keys')) bodies.push(JSON.parse(String(init?.body)));
      if (!upstream) throw new Error('harness not ready');
      return upstream(input, init);
    },
  });
  upstream = h.emulatorFetch;
});
afterAll(() => h.close());

it("asks for the key with the shop's own origin as its targetOrigin", async () => {
  await new Shopper(h).session();
  await expect.poll(() => bodies.length).toBe(1);
  expect(bodies).toEqual([{ encryptionType: 'RsaOaep256', targetOrigin: 'http://localhost:3000' }]);
});
