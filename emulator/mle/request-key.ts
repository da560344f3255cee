/**
 * @module CyberSource's request-MLE key pair and its certificate, one per emulator, made from the
 * emulator's key source on first need (the certificate download or the first encrypted request)
 * and kept across resets (`store.ts` says why).
 *
 * The certificate is what CyberSource publishes in the Business Center and in every P12 it issues,
 * alias `CyberSource_SJC_US` (the SDK's default `requestMleKeyAlias`, MLE.md). The SDK names the
 * key by the subject's `serialNumber` (MLEUtility.js `getSerialNumberFromCert`); the real value's
 * format is not published, so ours is `SJC` and 12 digits [inferred].
 */

import { createPublicKey, randomInt } from 'node:crypto';
import type { KeySource } from '../flex/key-pool.ts';
import { OncePer } from '../once-per.ts';
import { selfSignedCertificate } from './certificate.ts';
import type { MleStore, RequestMleKey } from './store.ts';

export const REQUEST_MLE_COMMON_NAME = 'CyberSource_SJC_US';

const DAY_MS = 24 * 3600 * 1000;
/** Valid from a day before it was made (clients' clocks lag) to three years after [inferred]. */
const VALID_BEFORE_MS = DAY_MS;
const VALID_AFTER_MS = 3 * 365 * DAY_MS;

function serialNumber(): string {
  let digits = '';
  for (let i = 0; i < 12; i++) digits += randomInt(10);
  return `SJC${digits}`;
}

const made = new OncePer<MleStore, RequestMleKey>();

/** The request-MLE key; concurrent first calls share one generation. */
export function currentRequestKey(
  mle: MleStore,
  keys: KeySource,
  now: () => Date,
): Promise<RequestMleKey> {
  return made.get(mle, () => createRequestKey(keys, now));
}

async function createRequestKey(keys: KeySource, now: () => Date): Promise<RequestMleKey> {
  const { privateKey } = await keys();
  const kid = serialNumber();
  const t = now().getTime();
  const certificate = selfSignedCertificate({
    publicKey: createPublicKey(privateKey),
    privateKey,
    commonName: REQUEST_MLE_COMMON_NAME,
    serialNumber: kid,
    notBefore: new Date(t - VALID_BEFORE_MS),
    notAfter: new Date(t + VALID_AFTER_MS),
  });
  return { kid, privateKey, certificate };
}
