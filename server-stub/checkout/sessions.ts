/**
 * @module Starting a checkout (DESIGN.md flow table): `POST /microform/v2/sessions` and, in
 * parallel, `POST /flex/v1/keys`, whose failure is logged and never blocks checkout. The
 * capture context is verified and kept server-side under a new checkout session id.
 */
import { microformContext } from '../../cybersource/microform-sessions/index.ts';
import { createFlexKey } from '../cybersource/flex-keys.ts';
import { createCaptureContext } from '../cybersource/microform-sessions.ts';
import { stubError } from '../errors.ts';
import { findUnpaidSession, insertSession, setSessionFlexKey } from '../store/sessions.ts';
import type { CheckoutContext } from './context.ts';
import { type Environment, environmentOf, libraryOrigin } from './environment.ts';
import { newId } from './ids.ts';

export interface StartedSession {
  sessionId: string;
  captureContext: string;
  expiresAt: string;
  /**
   * Seconds the capture context has left, by this server's clock: a resumed one is part-spent,
   * which its own `exp - iat` does not say, and `expiresAt` against the shopper's clock would
   * be as wrong as that clock. The widget renews the fields by it.
   */
  expiresIn: number;
  clientLibrary: string;
  clientLibraryIntegrity: string;
  allowedCardNetworks: string[];
  /** The test-mode badge (`environment.ts`). */
  environment: Environment;
  /** The library's origin when it is not one the widget knows (`environment.ts`). */
  libraryOrigin?: string;
  /** The widget then collects and sends `billTo` (widget/README.md "Stub contract"). */
  requireBillingAddress: boolean;
}

/**
 * The session this shopper started less than `CHECKOUT_SESSION_REUSE_SECONDS` ago (default 5
 * minutes: its capture context then has 10 of its 15 minutes left, and the widget, told so by
 * `expiresIn`, renews it 2 minutes before the end) and has not paid with, if any. Every page view that mounts the widget asks for a session,
 * and a shopper reloading the checkout, opening it in two tabs or browsing pages that embed it
 * would otherwise spend a capture context (a CyberSource call) on each, and their allowance of
 * 10 per 10 minutes with it. Not a session a payment spent a token of: a new checkout after a
 * payment or a decline gets a new session, and with it its own decline cap (`limits/`).
 */
export async function resumeCheckout(
  ctx: CheckoutContext,
  shopperId: string,
  requestId: string,
): Promise<StartedSession | undefined> {
  const within = ctx.config.sessionReuseMs;
  if (within === 0) return undefined;
  const row = await findUnpaidSession(
    ctx.db,
    shopperId,
    new Date(ctx.now().getTime() - within),
    targetOriginsOf(ctx),
  );
  if (!row) return undefined;
  // Verified when it was started; again here (a cached key: no call), which checks its expiry.
  // One that no longer verifies is passed over: a new session is started instead.
  const payload = await ctx.verifier.verify(row.capture_context, requestId).catch(() => undefined);
  const data = payload && microformContext(payload);
  if (!payload || !data) return undefined;
  ctx.logger.info({ requestId, sessionId: row.id, shopperId }, 'checkout session resumed');
  return sessionView(ctx, row.id, row.capture_context, new Date(payload.exp * 1000), data);
}

export async function startCheckout(
  ctx: CheckoutContext,
  shopperId: string,
  requestId: string,
): Promise<StartedSession> {
  const targetOrigins = targetOriginsOf(ctx);
  const allowedCardNetworks = [...ctx.cardNetworks];
  // The capture context is what the shopper waits for, so its request leaves first: starting a
  // fetch costs the event loop a millisecond or two (building, signing, the socket write), and
  // the Flex key's would otherwise delay it.
  const captureContextCall = createCaptureContext(
    ctx.client,
    {
      clientVersion: 'v2',
      targetOrigins,
      allowedCardNetworks,
      allowedPaymentTypes: ['CARD'],
      transientTokenResponseOptions: { includeCardPrefix: false },
    },
    requestId,
  );
  // The Flex key is a seed: requested in parallel, never awaited by the shopper, its failure
  // only logged (DESIGN.md flow table). Its id is recorded with the session when it came first,
  // else on the session when it arrives.
  let flexKeyId: string | undefined;
  const flexKey = createFlexKey(ctx.client, ctx.config.publicOrigin, requestId).then(
    (key) => {
      flexKeyId = key.keyId;
      return key.keyId;
    },
    (err: unknown) => {
      ctx.logger.warn({ requestId, err: errorSummary(err) }, 'flex key request failed (not fatal)');
      return undefined;
    },
  );
  // Not the shopper's to wait for, but the stub's: its call (and the write below) finish before
  // `close` closes the database, even when the capture context fails first.
  ctx.background(flexKey);
  const captureContext = await captureContextCall;
  const payload = await ctx.verifier.verify(captureContext, requestId);
  const now = ctx.now();
  const sessionId = newId('cs');
  // The Microform entry of ctx[], as the Microform script picks it (API-FACTS §5.2).
  const data = microformContext(payload);
  if (!data) throw stubError('capture_context_invalid');
  const expiresAt = new Date(payload.exp * 1000);
  const recorded = flexKeyId;
  await insertSession(ctx.db, {
    id: sessionId,
    shopperId,
    captureContext,
    flxJwk: payload.flx.jwk,
    targetOrigins,
    flexKeyId: recorded,
    createdAt: now,
    expiresAt,
  });
  ctx.sessions.remember({ id: sessionId, shopperId, flxJwk: payload.flx.jwk, expiresAt });
  ctx.logger.info({ requestId, sessionId, shopperId }, 'checkout session started');
  if (recorded === undefined) {
    ctx.background(
      flexKey.then((keyId) =>
        keyId === undefined
          ? undefined
          : setSessionFlexKey(ctx.db, sessionId, keyId).catch((err: unknown) =>
              ctx.logger.warn(
                { requestId, err: errorSummary(err) },
                'could not record flex key id',
              ),
            ),
      ),
    );
  }
  return sessionView(ctx, sessionId, captureContext, expiresAt, data);
}

/** Hard-coded server-side, never taken from the request (RELIABILITY-FACTS §3.1). */
const targetOriginsOf = (ctx: CheckoutContext) => [
  ctx.config.publicOrigin,
  ...ctx.config.allowedSites,
];

/** What the widget is told of a session (widget/README.md "Stub contract"). */
function sessionView(
  ctx: CheckoutContext,
  sessionId: string,
  captureContext: string,
  expiresAt: Date,
  data: NonNullable<ReturnType<typeof microformContext>>,
): StartedSession {
  const library = libraryOrigin(data.clientLibrary);
  return {
    sessionId,
    captureContext,
    expiresAt: expiresAt.toISOString(),
    expiresIn: Math.max(0, Math.floor((expiresAt.getTime() - ctx.now().getTime()) / 1000)),
    clientLibrary: data.clientLibrary,
    clientLibraryIntegrity: data.clientLibraryIntegrity,
    allowedCardNetworks: data.allowedCardNetworks,
    environment: environmentOf(ctx.config.baseUrl, data.clientLibrary),
    requireBillingAddress: ctx.config.requireBillingAddress,
    ...(library ? { libraryOrigin: library } : {}),
  };
}

/** A loggable summary of an error: its name, code and message, nothing else. */
export function errorSummary(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    return { name: err.name, message: err.message, ...('code' in err ? { code: err.code } : {}) };
  }
  return { value: typeof err };
}
