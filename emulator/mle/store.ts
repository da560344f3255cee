/**
 * @module What the emulator holds for message-level encryption (MLE): CyberSource's own
 * request-MLE key (made on first need, `request-key.ts`) and the public keys merchants registered
 * to have answers encrypted to (`response-keys.ts`).
 *
 * Both outlive `POST /__emulator/reset`, as the capture-context signing key does: they are a
 * merchant's Business Center settings, not a session's state. The merchant has written the
 * request certificate into its SDK configuration (`mleForRequestPublicCertPath`) and its response
 * key id into its JWTs; a reset between two tests must not leave that configuration pointing at
 * keys the emulator has forgotten. `DELETE /__emulator/mle/response-keys/{kid}` removes one.
 */
import type { KeyObject } from 'node:crypto';

export interface RequestMleKey {
  /** The subject `serialNumber` of the certificate: the `kid` a request's JWE must name. */
  kid: string;
  privateKey: KeyObject;
  /** PEM, what the merchant downloads from the Business Center. */
  certificate: string;
}

export class MleStore {
  /** Registered response-MLE public keys: merchant id → key id → key. */
  readonly #responseKeys = new Map<string, Map<string, KeyObject>>();

  responseKey(merchantId: string, kid: string): KeyObject | undefined {
    return this.#responseKeys.get(merchantId)?.get(kid);
  }

  setResponseKey(merchantId: string, kid: string, publicKey: KeyObject): void {
    let keys = this.#responseKeys.get(merchantId);
    if (!keys) {
      keys = new Map();
      this.#responseKeys.set(merchantId, keys);
    }
    keys.set(kid, publicKey);
  }

  /** False when the merchant had no key by that id. */
  deleteResponseKey(merchantId: string, kid: string): boolean {
    return this.#responseKeys.get(merchantId)?.delete(kid) ?? false;
  }
}
