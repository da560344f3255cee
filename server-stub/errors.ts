/**
 * @module The stub's one error catalog: every error a client of the stub can see, with a
 * stable code, an HTTP status and who can fix it (STYLE-ANCHORS practice 3).
 *
 * Bodies are always `{"error":{"code","message","details"?}}` (DESIGN.md "Contracts"); a decline
 * adds `reason` (CyberSource's `errorInformation.reason`). Messages never carry card data,
 * tokens or secrets.
 */

/** Who can act on the error (braintree-web `BraintreeError.type`). */
export type ErrorType = 'customer' | 'merchant' | 'network' | 'gateway' | 'internal' | 'unknown';

interface CatalogEntry {
  status:
    | 200
    | 202
    | 400
    | 401
    | 402
    | 403
    | 404
    | 405
    | 409
    | 410
    | 415
    | 422
    | 429
    | 500
    | 502
    | 503
    | 504;
  type: ErrorType;
  message: string;
}

export const ERROR_CATALOG = {
  // request shape (never reaches CyberSource)
  invalid_json: { status: 400, type: 'merchant', message: 'The request body is not valid JSON.' },
  invalid_request: { status: 400, type: 'merchant', message: 'The request is invalid.' },
  body_too_large: { status: 400, type: 'merchant', message: 'The request body is too large.' },
  idempotency_key_missing: {
    status: 400,
    type: 'merchant',
    message: 'Every POST needs an Idempotency-Key header (1–255 characters).',
  },
  idempotency_key_invalid: {
    status: 400,
    type: 'merchant',
    message: 'The Idempotency-Key header must be 1–255 visible ASCII characters, without spaces.',
  },
  idempotency_key_reused: {
    status: 422,
    type: 'merchant',
    message: 'This Idempotency-Key was already used with a different request.',
  },
  idempotency_key_expired: {
    status: 422,
    type: 'merchant',
    message:
      'This Idempotency-Key was answered more than 24 hours ago; check the outcome, then send a new request with a new key.',
  },
  idempotency_key_in_flight: {
    status: 409,
    type: 'merchant',
    message: 'A request with this Idempotency-Key is still being processed; retry later.',
  },
  // access
  checkout_disabled: { status: 503, type: 'merchant', message: 'Checkout is disabled.' },
  origin_not_allowed: {
    status: 403,
    type: 'merchant',
    message: 'This site is not allowed to use this checkout.',
  },
  admin_unauthorized: {
    status: 401,
    type: 'merchant',
    message: 'This endpoint needs Authorization: Bearer <ADMIN_TOKEN>.',
  },
  not_found: { status: 404, type: 'merchant', message: 'Not found.' },
  unsupported_content_encoding: {
    status: 415,
    type: 'merchant',
    message: 'The request body must not be compressed (Content-Encoding: identity only).',
  },
  // RFC 9110 §15.5.6: the path exists, the method does not; `Allow` lists the ones it takes.
  method_not_allowed: {
    status: 405,
    type: 'merchant',
    message: 'This path does not take that method; Allow lists the ones it does.',
  },
  // card-testing defence (RELIABILITY-FACTS §4); `details.retryAfterSeconds` + `Retry-After`
  rate_limited: {
    status: 429,
    type: 'customer',
    message: 'Too many attempts; please wait a moment and try again.',
  },
  too_many_declines: {
    status: 429,
    type: 'customer',
    message: 'Too many declined payment attempts; please try again later.',
  },
  // checkout
  item_not_found: { status: 400, type: 'merchant', message: 'Unknown catalog item.' },
  amount_not_allowed: {
    status: 400,
    type: 'customer',
    message: 'The amount is not allowed for this item.',
  },
  session_not_found: { status: 404, type: 'customer', message: 'Unknown checkout session.' },
  session_expired: {
    status: 410,
    type: 'customer',
    message: 'The checkout session has expired; start again.',
  },
  transient_token_invalid: {
    status: 400,
    type: 'customer',
    message: 'The card token is not valid for this checkout session.',
  },
  transient_token_expired: {
    status: 400,
    type: 'customer',
    message: 'The card token has expired; enter the card again.',
  },
  transient_token_used: {
    status: 409,
    type: 'customer',
    message: 'The card token was already used; enter the card again.',
  },
  payment_method_not_found: {
    status: 404,
    type: 'customer',
    message: 'Unknown saved payment method.',
  },
  payment_method_in_use: {
    status: 409,
    type: 'customer',
    message:
      'This card pays for a subscription. Cancel the subscription or change its card before removing it.',
  },
  payment_method_not_recurring: {
    status: 409,
    type: 'customer',
    message: 'This card cannot pay for a subscription. Choose another card.',
  },
  card_declined: { status: 402, type: 'customer', message: 'The card was declined.' },
  payment_under_review: {
    status: 202,
    type: 'gateway',
    message: 'The payment is under review.',
  },
  payment_outcome_unknown: {
    status: 202,
    type: 'unknown',
    message: "We're confirming your payment; do not pay again.",
  },
  price_changed: {
    status: 409,
    type: 'customer',
    message:
      'The price or currency of this item changed since the page was loaded; nothing was charged. Reload and check the amount.',
  },
  already_subscribed: {
    status: 409,
    type: 'customer',
    message: 'You already have this subscription.',
  },
  payment_in_progress: {
    status: 409,
    type: 'customer',
    message: 'We are still confirming your previous payment.',
  },
  payment_canceled: {
    status: 402,
    type: 'gateway',
    message: 'We could not confirm this payment, so it was canceled; you have not been charged.',
  },
  // merchant operations
  payment_not_found: { status: 404, type: 'merchant', message: 'Unknown payment.' },
  payment_not_refundable: {
    status: 409,
    type: 'merchant',
    message: 'Only a completed payment can be refunded.',
  },
  renew_due_in_progress: {
    status: 409,
    type: 'merchant',
    message: 'A renew-due run is already in progress; try again when it has finished.',
  },
  payment_fully_refunded: {
    status: 409,
    type: 'merchant',
    message: 'The payment has already been refunded in full.',
  },
  refund_exceeds_available: {
    status: 422,
    type: 'merchant',
    message: 'The refund is more than what was captured minus what was refunded.',
  },
  refund_declined: { status: 402, type: 'gateway', message: 'CyberSource refused the refund.' },
  refund_outcome_unknown: {
    status: 202,
    type: 'unknown',
    message: 'The refund outcome is unknown; it is being confirmed.',
  },
  subscription_not_found: { status: 404, type: 'merchant', message: 'Unknown subscription.' },
  subscription_not_renewable: {
    status: 409,
    type: 'merchant',
    message: 'This subscription cannot be renewed (canceled or without a stored credential).',
  },
  subscription_not_resumable: {
    status: 409,
    type: 'merchant',
    message: 'This subscription cannot be resumed.',
  },
  renewal_in_progress: {
    status: 409,
    type: 'merchant',
    message: 'A renewal of this period is already in progress or done.',
  },
  renewal_attempted_since: {
    status: 409,
    type: 'merchant',
    message:
      'This subscription was tried for that period since it was read (its attempts changed); nothing was charged. Reload it before renewing.',
  },
  renewal_period_mismatch: {
    status: 409,
    type: 'merchant',
    message:
      'The renewal names a period that is not the next one of this subscription (already renewed?); reload it and try again.',
  },
  // gateway
  gateway_invalid_request: {
    status: 400,
    type: 'merchant',
    message: 'CyberSource rejected the request.',
  },
  gateway_conflict: {
    status: 409,
    type: 'merchant',
    message: 'CyberSource refused the change in the current state.',
  },
  gateway_authentication_failed: {
    status: 502,
    type: 'merchant',
    message: 'CyberSource refused our credentials; check the configuration.',
  },
  gateway_profile_not_found: {
    status: 502,
    type: 'merchant',
    message:
      'CyberSource found no Token Management profile for this merchant; check the TMS setup in the Business Center.',
  },
  gateway_encryption_refused: {
    status: 502,
    type: 'merchant',
    message:
      'CyberSource refused the message-level encryption of our request; check the MLE settings.',
  },
  gateway_error: { status: 502, type: 'gateway', message: 'CyberSource had an error; try again.' },
  gateway_unavailable: {
    status: 503,
    type: 'network',
    message: 'CyberSource could not be reached; try again.',
  },
  gateway_throttled: {
    status: 503,
    type: 'gateway',
    message: 'CyberSource is limiting our requests for now; try again shortly.',
  },
  gateway_response_invalid: {
    status: 502,
    type: 'gateway',
    message: 'CyberSource answered with something we did not expect.',
  },
  capture_context_invalid: {
    status: 502,
    type: 'gateway',
    message: 'The capture context from CyberSource failed verification.',
  },
  internal_error: { status: 500, type: 'internal', message: 'Something went wrong on our side.' },
  // GET /healthz only: a shopper's request that meets a failing database is internal_error.
  database_unavailable: {
    status: 503,
    type: 'internal',
    message: 'The database is not answering.',
  },
  // GET /healthz only, after SIGTERM: the process still serves what reaches it.
  shutting_down: {
    status: 503,
    type: 'internal',
    message: 'This server is stopping: send requests to another one.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface StubErrorOptions {
  message?: string;
  details?: unknown;
  /** CyberSource's reason (declines). */
  reason?: string;
  cause?: unknown;
  /** Extra top-level members of the body besides `error` (e.g. the unknown payment). */
  extra?: Record<string, unknown>;
  /** Response headers that go with the error (e.g. `retry-after` on a 429). */
  headers?: Record<string, string>;
}

/** The one exception type the stub throws; the HTTP layer renders it (hono's HTTPException). */
export class StubError extends Error {
  readonly code: ErrorCode;
  readonly status: CatalogEntry['status'];
  readonly type: ErrorType;
  readonly details: unknown;
  readonly reason: string | undefined;
  readonly extra: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, options: StubErrorOptions = {}) {
    const entry: CatalogEntry = ERROR_CATALOG[code];
    super(
      options.message ?? entry.message,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.name = 'StubError';
    this.code = code;
    this.status = entry.status;
    this.type = entry.type;
    this.details = options.details;
    this.reason = options.reason;
    this.extra = options.extra;
    this.headers = options.headers;
  }

  /** The JSON body for this error. */
  toBody(): Record<string, unknown> {
    return {
      ...(this.extra ?? {}),
      error: {
        code: this.code,
        message: this.message,
        ...(this.reason === undefined ? {} : { reason: this.reason }),
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export const stubError = (code: ErrorCode, options?: StubErrorOptions) =>
  new StubError(code, options);
