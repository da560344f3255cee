/**
 * @module Flex / Microform state: capture contexts with their one-time keys, the transient
 * tokens minted from them, Flex v1 keys, and the long-lived keys that sign capture contexts.
 */
import type { KeyObject } from 'node:crypto';

export interface CaptureContextRecord {
  merchantId: string;
  /** The capture context's own `jti`. */
  jti: string;
  /** The compact RS256 JWT handed to the merchant. */
  jwt: string;
  /** `flx.jwk.kid`: the one-time key id the browser encrypts to and tokens are signed with. */
  flxKid: string;
  /** Public half, as embedded in `flx.jwk`. */
  publicJwk: JsonWebKey;
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
  expiresAt: Date;
}

export interface SigningKeyRecord {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JsonWebKey;
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
}
