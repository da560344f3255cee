/**
 * What the suite's shortcuts must never cost: a test's store is empty and its own, whatever the
 * test before did with it; an emulator never hands out one RSA key twice.
 */
import { expect, it } from 'vitest';
import { flexEmulator } from '../emulator/flex/flex-helpers.ts';
import { testKeys } from './test-keys.ts';
import { openTestStore } from './test-store.ts';

it('a closed test store refuses its old handle, and the next test gets it back empty', async () => {
  const first = await openTestStore();
  await first.query('INSERT INTO shoppers (id, created_at) VALUES ($1, now())', ['shopper-a']);
  await first.close();
  await expect(first.query('SELECT 1')).rejects.toThrow('PGlite is closed');
  await expect(first.transaction(async () => undefined)).rejects.toThrow('PGlite is closed');

  const second = await openTestStore();
  try {
    const { rows } = await second.query('SELECT count(*)::int AS n FROM shoppers');
    expect(rows).toEqual([{ n: 0 }]);
    // The migrations are still there: the stub starting on it applies nothing.
    const applied = await second.query('SELECT count(*)::int AS n FROM stub_migrations');
    expect((applied.rows[0] as { n: number }).n).toBeGreaterThan(0);
  } finally {
    await second.close();
  }
});

it('one emulator never gets the same key twice, past the shared bank too', async () => {
  const keys = testKeys();
  const seen = new Set<string>();
  for (let i = 0; i < 50; i += 1) {
    const { publicKey } = await keys();
    seen.add(publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
  }
  expect(seen.size).toBe(50);
});

it('every capture context of one emulator carries its own key', async () => {
  const { session } = flexEmulator();
  const moduli = new Set<string>();
  for (let i = 0; i < 3; i += 1) moduli.add((await session()).payload.flx.jwk.n);
  expect(moduli.size).toBe(3);
});
