/**
 * @module The signed CyberSource HTTP client every endpoint-group module goes through.
 *
 * - Authentication by configuration: HTTP signature (API-FACTS §1.2–1.3) or JWT-HS256 with the
 *   same key (§1.6). The host signed is the base URL's host, which is what fetch sends.
 * - Per-call timeouts with AbortSignal; keep-alive comes from Node's fetch (undici pools and
 *   reuses connections by default, like the SDK's keep-alive agent, RELIABILITY-FACTS §3.6).
 * - Retries only what is safe: any request whose connection was refused before sending, and
 *   idempotent reads (GET) on timeouts, connection failures and 5xx. A payment is never resent
 *   once it may have left (RELIABILITY-FACTS §3.6).
 * - Message-level encryption when configured (cybersource/mle): the body of a payments or TMS
 *   call is sent as `{"encryptedRequest": jwe}` and signed as sent; the JWT names the merchant's
 *   response key, and an `{"encryptedResponse": jwe}` answer is decrypted before anyone reads it.
 * - fetch, the clock and sleep are injected (STYLE-ANCHORS practice 4).
 */
import { randomUUID } from 'node:crypto';
import { signJwtRequest, signRequest } from '../../cybersource/auth/index.ts';
import type { MleRecipient } from '../../cybersource/mle/index.ts';
import {
  decryptMessage,
  EncryptedResponse,
  encryptMessage,
  requestMleApplies,
} from '../../cybersource/mle/index.ts';
import type { MleConfig } from '../config/mle.ts';
import type { Logger } from '../logger.ts';
import { backoffMs, MAX_RETRIES } from './backoff.ts';
import { refusalSummary } from './refusal-summary.ts';
import { failedBeforeSending, TransportError } from './transport-error.ts';

export interface CyberSourceCredentials {
  baseUrl: string;
  merchantId: string;
  keyId: string;
  /** Base64 shared secret. */
  secretKey: string;
  auth: 'http-signature' | 'jwt';
  /** Message-level encryption (JWT only); absent or empty: plain JSON both ways. */
  mle?: { request: MleRecipient | undefined; response: MleConfig['response'] };
}

export interface ClientDeps {
  fetch: typeof fetch;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
  logger: Logger;
}

export interface Timeouts {
  /** Authorizations, sales and refunds; the SDK waits 60 s, we give up sooner and reconcile. */
  paymentMs: number;
  defaultMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { paymentMs: 30_000, defaultMs: 10_000 };

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface CallOptions {
  method: Method;
  /** Path plus query, e.g. `/pts/v2/payments`. */
  path: string;
  body?: unknown;
  accept?: string;
  /** `false` for CyberSource's unauthenticated reads (public keys). */
  authenticate?: boolean;
  /** `payment` calls use the payment timeout and are never resent once possibly sent. */
  kind?: 'payment' | 'default';
  /** The stub request this call serves, for the logs. */
  requestId?: string;
}

export interface CallResult {
  status: number;
  text: string;
  headers: Headers;
}

/** JSON content types as the SDK sends them per API family (API-FACTS §1.2). */
function contentType(path: string): string {
  return path.startsWith('/pts/') ? 'application/json' : 'application/json;charset=utf-8';
}

/**
 * Accept as the SDK sends it per API family (NODE `src/api/*.js` `accepts`): plain JSON for TMS,
 * the transaction search and Flex v1 keys (`KeyGenerationApi`), HAL for payments and Transaction
 * Details (JSON kept as a second choice). Some CyberSource services refuse a HAL-only Accept with 406 (cybersource-rest-client-dotnet
 * issue #233, webhooks), so each family gets what it is documented to serve.
 */
function accept(path: string): string {
  return /^\/(tms\/|tss\/v2\/searches|flex\/v1\/)/.test(path)
    ? 'application/json;charset=utf-8'
    : 'application/hal+json;charset=utf-8, application/json';
}

export class CyberSourceClient {
  readonly #creds: CyberSourceCredentials;
  readonly #deps: ClientDeps;
  readonly #timeouts: Timeouts;
  readonly #host: string;

  constructor(
    creds: CyberSourceCredentials,
    deps: ClientDeps,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
  ) {
    this.#creds = creds;
    this.#deps = deps;
    this.#timeouts = timeouts;
    this.#host = new URL(creds.baseUrl).host;
  }

  get baseUrl(): string {
    return this.#creds.baseUrl;
  }

  /** Sends one call, retrying only where that is safe; throws `TransportError` below HTTP. */
  async call(options: CallOptions): Promise<CallResult> {
    const idempotent = options.method === 'GET';
    let bodyText: string | undefined;
    try {
      // Once, before any attempt: a body that cannot be encrypted never left this machine.
      bodyText = await this.#bodyText(options);
    } catch (cause) {
      this.#log(options, 0, 'encryption', this.#deps.now().getTime());
      throw new TransportError('encryption', false, { cause });
    }
    for (let attempt = 0; ; attempt += 1) {
      const started = this.#deps.now().getTime();
      try {
        const result = await this.#once(options, bodyText);
        // A read met a server error or a throttle (429): asked again after the backoff.
        const retryable =
          idempotent && (result.status >= 500 || result.status === 429) && attempt < MAX_RETRIES;
        this.#log(options, attempt, result.status, started, result);
        if (!retryable) return result;
      } catch (err) {
        const transport = this.#asTransportError(err);
        this.#log(options, attempt, transport.failure, started);
        // An answer that did not decrypt would not decrypt the next time either.
        const safe = (!transport.sent || idempotent) && transport.failure !== 'unreadable';
        if (!safe || attempt >= MAX_RETRIES) throw transport;
      }
      await this.#deps.sleep(backoffMs(attempt + 1, this.#deps.random));
    }
  }

  async #once(options: CallOptions, bodyText: string | undefined): Promise<CallResult> {
    const url = new URL(this.#creds.baseUrl + options.path);
    // Sign the request line fetch will send, not `options.path`: the URL parser percent-encodes
    // (a space, non-ASCII, `'` in a query) and resolves `./` and `../`, and the server checks
    // the signature against what arrives (API-FACTS §1.3).
    const target = url.pathname + url.search;
    const headers: Record<string, string> = {
      accept: options.accept ?? accept(options.path),
      ...(options.authenticate === false
        ? {}
        : await this.#authHeaders(options.method, target, bodyText)),
    };
    if (bodyText !== undefined) headers['content-type'] = contentType(options.path);
    const timeoutMs =
      options.kind === 'payment' ? this.#timeouts.paymentMs : this.#timeouts.defaultMs;
    const response = await this.#deps.fetch(url.href, {
      method: options.method,
      headers,
      ...(bodyText === undefined ? {} : { body: bodyText }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await this.#readable(await response.text(), options);
    return { status: response.status, text, headers: response.headers };
  }

  /** The body as sent: JSON, encrypted to CyberSource's MLE key where the call takes it. */
  async #bodyText(options: CallOptions): Promise<string | undefined> {
    if (options.body === undefined) return undefined;
    const json = JSON.stringify(options.body);
    const recipient = this.#creds.mle?.request;
    if (!recipient || !requestMleApplies(options.method, options.path)) return json;
    const jwe = await encryptMessage(json, recipient, this.#deps.now());
    return JSON.stringify({ encryptedRequest: jwe });
  }

  /**
   * An `{"encryptedResponse": jwe}` answer decrypted with the merchant's response key; any other
   * answer as it came (CyberSource leaves its gateway errors plain). One that does not decrypt,
   * or comes encrypted with no key configured, is `TransportError('unreadable')`: its request
   * may have been processed, so a payment's caller takes it as an unknown outcome (reconciled),
   * and no caller may read it as an empty answer (a search with no hits, a card list with no
   * cards).
   */
  async #readable(text: string, options: CallOptions): Promise<string> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return text; // not JSON: a capture context (application/jwt), an empty 204
    }
    // Any object carrying the field is an encrypted answer, whatever else it holds: read as
    // plain, one with an extra key would parse as an answer with nothing in it.
    if (typeof body !== 'object' || body === null || !Object.hasOwn(body, 'encryptedResponse'))
      return text;
    const parsed = EncryptedResponse.safeParse(body);
    const jwe = parsed.success ? parsed.data.encryptedResponse : undefined;
    const key = this.#creds.mle?.response?.privateKey;
    // The SDK also takes RSA-OAEP and A128GCM in answers (`JWEUtility.js`).
    const opened =
      key && jwe ? await decryptMessage(jwe, key, { legacy: true }) : { ok: false as const };
    if (opened.ok) return opened.plaintext;
    this.#deps.logger.warn(
      { requestId: options.requestId, upstream: { method: options.method, path: options.path } },
      key
        ? 'cybersource answer could not be decrypted (response MLE key or id wrong, or not one JWE)'
        : 'cybersource answer came encrypted, and no response MLE key is configured',
    );
    throw new TransportError('unreadable', true);
  }

  async #authHeaders(
    method: Method,
    target: string,
    body: string | undefined,
  ): Promise<Record<string, string>> {
    const c = this.#creds;
    const now = this.#deps.now();
    if (c.auth === 'jwt') {
      const jwt = await signJwtRequest({
        method,
        target,
        host: this.#host,
        merchantId: c.merchantId,
        keyId: c.keyId,
        secretBase64: c.secretKey,
        body: body ?? '',
        now,
        jti: randomUUID(),
        ...(c.mle?.response ? { responseMleKid: c.mle.response.kid } : {}),
      });
      return { authorization: `Bearer ${jwt}`, 'v-c-merchant-id': c.merchantId };
    }
    const signed = signRequest({
      method,
      target,
      host: this.#host,
      date: now.toUTCString(),
      merchantId: c.merchantId,
      keyId: c.keyId,
      secretBase64: c.secretKey,
      body: body ?? '',
    });
    // fetch sets Host from the URL, which is the host we signed; undici refuses to override it.
    const { host: _host, ...rest } = signed;
    return { ...rest };
  }

  #asTransportError(err: unknown): TransportError {
    if (err instanceof TransportError) return err;
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new TransportError('timeout', true, { cause: err });
    }
    return new TransportError('connection', !failedBeforeSending(err), { cause: err });
  }

  /**
   * One line per attempt; with an answer, CyberSource's correlation id, and for a refusal what
   * identifies it for CyberSource support (refusal-summary.ts), never its text.
   */
  #log(
    options: CallOptions,
    attempt: number,
    outcome: number | string,
    started: number,
    result?: CallResult,
  ): void {
    const correlationId = result?.headers.get('v-c-correlation-id');
    const refusal = result && result.status >= 300 ? refusalSummary(result.text) : undefined;
    this.#deps.logger.info(
      {
        requestId: options.requestId,
        upstream: {
          method: options.method,
          path: options.path,
          attempt,
          outcome,
          ...(correlationId ? { correlationId } : {}),
          ...(refusal ? { refusal } : {}),
        },
        ms: this.#deps.now().getTime() - started,
      },
      'cybersource call',
    );
  }
}
