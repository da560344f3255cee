/**
 * @module Flex / Microform state: capture contexts with their one-time keys, the transient
 * tokens minted from them, Flex v1 keys, and the long-lived keys that sign capture contexts.
 */
import type { KeyObject } from 'node:crypto';
import type { RsaPublicJwk } from '../../cybersource/microform-sessions/public-key.ts';

export interface CaptureContextRecord {
  merchantId: string;
  /** The capture context's own `jti`. */
  jti: string;
  /** The compact RS256 JWT handed to the merchant. */
  jwt: string;
  /** `flx.jwk.kid`: the one-time key id the browser encrypts to and tokens are signed with. */
  flxKid: string;
  /** Public half, as embedded in `flx.jwk`. */
  publicJwk: RsaPublicJwk;
  /** Private half: decrypts the browser's JWE and signs transient tokens (API-FACTS §5.2, §5.5). */
  privateKey: KeyObject;
  targetOrigins: string[];
  allowedCardNetworks: string[];
  allowedPaymentTypes: string[];
  /** `transientTokenResponseOptions.includeCardPrefix`: absent → 6-digit bin, true → 8, false → none. */
  includeCardPrefix?: boolean;
  issuedAt: Date;
  expiresAt: Date;
  /** Tokens minted so far from this context. */
  tokensIssued: number;
  /** Tokenization requests that reached validation, failed or not (the per-context limit, README.md). */
  tokenizationAttempts: number;
}

export interface TransientCard {
  number: string;
  securityCode?: string;
  expirationMonth: string;
  expirationYear: string;
  /** Detected (or given) CyberSource card types, first is preferred. */
  types: string[];
}

export interface TransientTokenRecord {
  jti: string;
  merchantId: string;
  captureContextJti: string;
  card: TransientCard;
  issuedAt: Date;
  expiresAt: Date;
  /** Id of the successful authorization that used it; a token authorizes once (RELIABILITY-FACTS §3.4). */
  authorizedBy?: string;
}

export interface FlexV1KeyRecord {
  keyId: string;
  merchantId: string;
  privateKey: KeyObject;
  encryptionType: 'RsaOaep256' | 'RsaOaep' | 'None';
  targetOrigin?: string;
  expiresAt: Date;
}

export interface SigningKeyRecord {
  kid: string;
  privateKey: KeyObject;
  publicJwk: RsaPublicJwk;
}

export class FlexStore {
  /** Keys that sign capture contexts, by kid; kept across resets, like CyberSource's. */
  readonly signingKeys = new Map<string, SigningKeyRecord>();
  readonly captureContexts = new Map<string, CaptureContextRecord>();
  /** flx.jwk.kid → capture context jti. */
  readonly contextsByFlxKid = new Map<string, string>();
  readonly transientTokens = new Map<string, TransientTokenRecord>();
  readonly v1Keys = new Map<string, FlexV1KeyRecord>();

  reset(): void {
    this.captureContexts.clear();
    this.contextsByFlxKid.clear();
    this.transientTokens.clear();
    this.v1Keys.clear();
  }

  addCaptureContext(record: CaptureContextRecord): void {
    this.captureContexts.set(record.jti, record);
    this.contextsByFlxKid.set(record.flxKid, record.jti);
  }

  contextByFlxKid(kid: string): CaptureContextRecord | undefined {
    const jti = this.contextsByFlxKid.get(kid);
    return jti ? this.captureContexts.get(jti) : undefined;
  }

  /**
   * Forgets capture contexts, their transient tokens and Flex v1 keys that expired more than
   * `graceMs` ago, so a long benchmark does not keep every one-time private key in memory.
   * Inside the grace period an expired token is still answered as expired, not unknown.
   */
  pruneExpired(now: Date, graceMs: number): void {
    const cutoff = now.getTime() - graceMs;
    for (const [jti, token] of this.transientTokens) {
      if (token.expiresAt.getTime() < cutoff) this.transientTokens.delete(jti);
    }
    for (const [jti, context] of this.captureContexts) {
      // Its last token can outlive it by one token lifetime (15 minutes, API-FACTS §5.5).
      if (context.expiresAt.getTime() + 15 * 60_000 < cutoff) {
        this.captureContexts.delete(jti);
        this.contextsByFlxKid.delete(context.flxKid);
      }
    }
    for (const [keyId, key] of this.v1Keys) {
      if (key.expiresAt.getTime() < cutoff) this.v1Keys.delete(keyId);
    }
  }
}
