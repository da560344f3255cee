/**
 * Test setup for the payments emulator: an emulator on an injected clock, a signed caller whose
 * `date` follows that clock, request builders, and a transient-token minter that writes straight
 * into `state.flex` (a capture context with its one-time RSA key, and a token signed with it).
 */
import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { createEmulator, type Emulator } from '../../../emulator/app.ts';
import type { EmulatorConfig } from '../../../emulator/config.ts';
import type { TransientCard } from '../../../emulator/flex/store.ts';
import { inProcessFetch } from '../../../emulator/in-process.ts';
import { type CallOptions, cybersourceCaller } from '../../helpers/cybersource-request.ts';
import { testKeys } from '../../helpers/test-keys.ts';

export const START = Date.parse('2026-03-10T12:00:00Z');

/** `config`: the emulator's account settings (`relaxedAddress`…), defaults otherwise. */
export function setup(config: Partial<EmulatorConfig> = {}) {
  const clock = { ms: START };
  const emulator = createEmulator({ now: () => new Date(clock.ms), config, keys: testKeys() });
  const raw = cybersourceCaller(inProcessFetch(emulator));
  const call = (path: string, o: CallOptions = {}) => raw(path, { date: new Date(clock.ms), ...o });
  const post = (path: string, body: unknown) => call(path, { body });
  return {
    emulator,
    call,
    post,
    advance: (ms: number) => {
      clock.ms += ms;
    },
    reset: () => {
      clock.ms = START;
      emulator.state.reset();
    },
  };
}

export const VISA = '4111111111111111';

/** The official samples' addresses (`orderInformation.shipTo` and `billTo`). */
export { SAMPLE_BILL_TO, SAMPLE_SHIP_TO } from '../../../emulator/tms/sandbox-tokens.ts';

export interface PaymentOptions {
  amount?: string;
  currency?: string;
  capture?: boolean;
  number?: string;
  securityCode?: string;
  expirationMonth?: string;
  expirationYear?: string;
  code?: string;
  transactionId?: string;
  extra?: Record<string, unknown>;
}

/** A card payment as the official samples send it (API-FACTS §2.2). */
export function cardPayment(o: PaymentOptions = {}): Record<string, unknown> {
  return {
    clientReferenceInformation: {
      code: o.code ?? 'order-1',
      ...(o.transactionId ? { transactionId: o.transactionId } : {}),
    },
    processingInformation: { capture: o.capture ?? false },
    paymentInformation: {
      card: {
        number: o.number ?? VISA,
        expirationMonth: o.expirationMonth ?? '12',
        expirationYear: o.expirationYear ?? '2031',
        ...(o.securityCode ? { securityCode: o.securityCode } : {}),
      },
    },
    orderInformation: {
      amountDetails: { totalAmount: o.amount ?? '102.21', currency: o.currency ?? 'USD' },
    },
    ...o.extra,
  };
}

export const amount = (totalAmount: string, currency = 'USD') => ({
  orderInformation: { amountDetails: { totalAmount, currency } },
});

// One RSA key for every test context: generating a key per token would dominate the run time.
let sharedKeys: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/** Puts a capture context and a transient token for `card` into the emulator; returns the JWT. */
export async function mintToken(
  emulator: Emulator,
  card: Partial<TransientCard> = {},
  o: { merchantId?: string; issuedAt?: Date } = {},
): Promise<string> {
  const now = o.issuedAt ?? emulator.state.now();
  sharedKeys ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { privateKey, publicKey } = sharedKeys;
  const jwk = publicKey.export({ format: 'jwk' });
  const flxKid = randomBytes(16).toString('hex');
  const contextJti = randomBytes(8).toString('hex');
  const merchantId = o.merchantId ?? 'testrest';
  emulator.state.flex.addCaptureContext({
    merchantId,
    jti: contextJti,
    jwt: 'unused-in-these-tests',
    flxKid,
    publicJwk: { kty: 'RSA', n: String(jwk.n), e: String(jwk.e) },
    privateKey,
    targetOrigins: ['http://localhost:3000'],
    allowedCardNetworks: ['VISA', 'MASTERCARD', 'AMEX'],
    allowedPaymentTypes: ['CARD'],
    issuedAt: now,
    expiresAt: new Date(now.getTime() + 900_000),
    tokensIssued: 1,
    tokenizationAttempts: 1,
  });
  const jti = randomBytes(32).toString('hex').toUpperCase();
  const iat = Math.floor(now.getTime() / 1000);
  emulator.state.flex.transientTokens.set(jti, {
    jti,
    merchantId,
    captureContextJti: contextJti,
    card: {
      number: VISA,
      securityCode: '123',
      expirationMonth: '12',
      expirationYear: '2031',
      types: ['001'],
      ...card,
    },
    issuedAt: new Date(iat * 1000),
    expiresAt: new Date((iat + 900) * 1000),
  });
  return new SignJWT({ iss: 'Flex/08', type: 'mf-2.0.0', jti })
    .setProtectedHeader({ kid: flxKid, alg: 'RS256' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + 900)
    .sign(privateKey);
}

/** A payment request paying with a transient token, no card data. */
export function tokenPayment(
  jwt: string,
  o: { amount?: string; capture?: boolean; extra?: Record<string, unknown> } = {},
) {
  return {
    clientReferenceInformation: { code: 'order-tt' },
    processingInformation: { capture: o.capture ?? true },
    tokenInformation: { transientTokenJwt: jwt },
    ...amount(o.amount ?? '25.00'),
    ...o.extra,
  };
}
