/**
 * @module A small process-wide pool of RSA-2048 key pairs.
 *
 * Every capture context and Flex v1 key needs a fresh one-time key (API-FACTS §4, §5.2), and
 * generating one costs roughly 50–500 ms of CPU. Taking a key from the pool keeps session
 * latency near the signing cost; the pool refills in the background with the asynchronous
 * `generateKeyPair`, which runs on libuv's thread pool rather than the event loop. Keys are
 * never reused: each one is handed out once.
 */
import { generateKeyPair, type KeyObject } from 'node:crypto';

export interface RsaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * Where an emulator gets its RSA keys: each call a key pair it has never handed out. The
 * default is this pool (`takeKeyPair`); tests give each emulator pre-generated keys instead
 * (`EmulatorOptions.keys`), since generating them is most of the suite's CPU.
 */
export type KeySource = () => Promise<RsaKeyPair>;

/**
 * Enough for a burst of checkouts on two cores without hogging them at start-up. Benchmarks
 * raise it (EMULATOR_KEY_POOL) and wait for the pool: CyberSource generates its keys on its own
 * machines, so the emulator's key generation must not be what a benchmark of ours measures.
 */
const DEFAULT_TARGET = 6;
let poolTarget = DEFAULT_TARGET;

const ready: RsaKeyPair[] = [];
let refilling = 0;

/** A new RSA-2048 key pair, generated off the event loop. */
export function generateKeyPairAsync(): Promise<RsaKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      { modulusLength: 2048, publicExponent: 0x10001 },
      (err, publicKey, privateKey) => (err ? reject(err) : resolve({ publicKey, privateKey })),
    );
  });
}

/**
 * The default pool refills behind every take, so a burst of sessions rarely waits for a key. A
 * raised pool (a benchmark's) refills only once it is down to half its target, and then runs to
 * the full target: it is not regenerating keys on the cores that serve the requests being
 * measured, one key behind every take.
 */
const lowWater = () => (poolTarget > DEFAULT_TARGET ? Math.floor(poolTarget / 2) : poolTarget);

function refill(): void {
  // One generation at a time: a second parallel one would compete with requests for the cores.
  if (refilling > 0 || ready.length >= poolTarget) return;
  refilling += 1;
  generateKeyPairAsync()
    .then((pair) => ready.push(pair))
    .catch((err: unknown) => console.error('emulator: RSA key generation failed', err))
    .finally(() => {
      refilling -= 1;
      refill();
    });
}

/** Starts filling the pool (idempotent); call when the emulator is built. */
export function warmKeyPool(target?: number): void {
  if (target !== undefined) poolTarget = Math.max(poolTarget, target);
  refill();
}

/** How many keys wait in the pool, and how many it aims for. */
export function keyPoolStatus(): { ready: number; target: number } {
  return { ready: ready.length, target: poolTarget };
}

/** A fresh RSA-2048 key pair, never handed out before. */
export async function takeKeyPair(): Promise<RsaKeyPair> {
  const pair = ready.shift();
  if (ready.length < lowWater()) refill();
  return pair ?? generateKeyPairAsync();
}
