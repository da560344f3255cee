/**
 * RSA keys for test emulators. Every capture context, Flex v1 key and signing key needs a fresh
 * RSA-2048 pair, and generating one costs about 0.1-0.4 s of CPU: most of the suite's CPU when
 * every test's emulator made its own. So one bank of pairs is generated per test run (vitest's
 * global set-up, kept in the temp folder) and each emulator gets `testKeys()`: the bank's pairs
 * in order, none twice to one emulator, then freshly generated ones. Two emulators share keys,
 * which no test relies on either way: a token is only ever checked against the emulator and the
 * stub session that made it.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateKeyPairAsync,
  type KeySource,
  type RsaKeyPair,
} from '../../emulator/flex/key-pool.ts';

/** Enough for the busiest single test (a few dozen sessions at two keys each, and the signer). */
const BANK_SIZE = 48;
const BANK_FILE = join(tmpdir(), `cybercheckout-test-rsa-keys-${BANK_SIZE}.json`);

/** Writes the bank unless a previous run left it; for vitest's `globalSetup`. */
export async function makeKeyBank(): Promise<void> {
  if (await readBank()) return;
  const pairs = await Promise.all(Array.from({ length: BANK_SIZE }, generateKeyPairAsync));
  const pems = pairs.map((p) => p.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  // Written aside and renamed: a worker reading it meanwhile never sees half a file.
  const partial = `${BANK_FILE}.${process.pid}.partial`;
  await writeFile(partial, JSON.stringify(pems), { mode: 0o600 });
  await rename(partial, BANK_FILE);
}

async function readBank(): Promise<RsaKeyPair[] | undefined> {
  let pems: unknown;
  try {
    pems = JSON.parse(await readFile(BANK_FILE, 'utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(pems) || pems.length !== BANK_SIZE) return undefined;
  return pems.map((pem: string) => {
    const privateKey: KeyObject = createPrivateKey(pem);
    return { privateKey, publicKey: createPublicKey(privateKey) };
  });
}

let bank: Promise<RsaKeyPair[]> | undefined;

/** A key source for one emulator. */
export function testKeys(): KeySource {
  bank ??= readBank().then((pairs) => pairs ?? []);
  const shared = bank;
  let next = 0;
  return async () => (await shared)[next++] ?? generateKeyPairAsync();
}
