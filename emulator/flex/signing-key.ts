/**
 * @module The long-lived key that signs capture contexts (API-FACTS §5.2): RS256 with a short
 * kid like CyberSource's ("zu", "3g"), published at `GET /flex/v2/public-keys/{kid}`.
 *
 * One per emulator, created on first use and kept across resets, as CyberSource's signing keys
 * outlive any merchant session (an SDK may have cached the key).
 */

import { randomInt } from 'node:crypto';
import { OncePer } from '../once-per.ts';
import { rsaPublicJwk } from './jwk.ts';
import type { KeySource } from './key-pool.ts';
import type { FlexStore, SigningKeyRecord } from './store.ts';

const KID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function shortKid(taken: ReadonlyMap<string, unknown>): string {
  for (;;) {
    const kid = `${KID_ALPHABET[randomInt(26)]}${KID_ALPHABET[randomInt(KID_ALPHABET.length)]}`;
    if (!taken.has(kid)) return kid;
  }
}

const made = new OncePer<FlexStore, SigningKeyRecord>();

/** The current signing key; concurrent first calls share one generation. */
export function currentSigningKey(flex: FlexStore, keys: KeySource): Promise<SigningKeyRecord> {
  return made.get(flex, () => createSigningKey(flex, keys));
}

async function createSigningKey(flex: FlexStore, keys: KeySource): Promise<SigningKeyRecord> {
  const { privateKey } = await keys();
  const kid = shortKid(flex.signingKeys);
  const record: SigningKeyRecord = {
    kid,
    privateKey,
    publicJwk: { ...rsaPublicJwk(privateKey), kid, use: 'sig' },
  };
  flex.signingKeys.set(kid, record);
  return record;
}
