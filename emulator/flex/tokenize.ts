/**
 * @module Turning captured card data into a transient token for a capture context: the one
 * path shared by `POST /flex/v2/tokens` and the control API's minting, so both give exactly
 * the same token and the same failures.
 */
import type { CaptureData } from '../../cybersource/microform-sessions/tokens.ts';
import { validateCaptureData } from './card-validation.ts';
import type { CaptureContextRecord, FlexStore } from './store.ts';
import { type TokensFailure, tokensFailure } from './tokens-errors.ts';
import { mintTransientToken } from './transient-token-mint.ts';

/**
 * Tokenization attempts allowed per capture context (open question 8, API-FACTS §8; the
 * emulator's choice, README.md). Every attempt that reaches validation counts, failed or not:
 * a card tester who cycles numbers through one context is stopped as soon as a shopper who
 * mistypes a few times would not be.
 */
export const TOKENS_PER_CAPTURE_CONTEXT = 20;

export type TokenizeResult =
  | { ok: true; transientToken: string }
  | { ok: false; failure: TokensFailure };

export async function tokenize(
  flex: FlexStore,
  context: CaptureContextRecord,
  data: CaptureData,
  now: Date,
  correlationId: string,
): Promise<TokenizeResult> {
  if (context.expiresAt.getTime() <= now.getTime()) {
    return {
      ok: false,
      failure: tokensFailure(
        correlationId,
        'CAPTURE_CONTEXT_EXPIRED',
        'Your capture context has expired.',
      ),
    };
  }
  // Count and check in one synchronous stretch, so concurrent requests cannot overrun the limit.
  if (context.tokenizationAttempts >= TOKENS_PER_CAPTURE_CONTEXT) {
    return {
      ok: false,
      failure: tokensFailure(
        correlationId,
        'RESOURCE_QUOTA_EXCEEDED',
        'The supplied capture context has exceeded its usage limits. Please request another before trying again.',
      ),
    };
  }
  context.tokenizationAttempts += 1;
  const checked = validateCaptureData(data, context.allowedCardNetworks, now);
  if (!checked.ok) {
    return {
      ok: false,
      failure: tokensFailure(
        correlationId,
        'VALIDATION_ERROR',
        'One or more fields failed validation.',
        checked.details,
      ),
    };
  }
  const transientToken = await mintTransientToken(
    flex,
    context,
    checked.card,
    checked.networks,
    now,
  );
  context.tokensIssued += 1;
  return { ok: true, transientToken };
}
