/**
 * @module `flex.microform(...)`: creates fields and asks them for a transient token.
 *
 * createToken never sees card data: it asks the number field's iframe (the leader) to
 * collect, encrypt and submit, and gets back only the token or a MicroformError
 * (API-FACTS §5.4).
 */
import type { CaptureContext } from '../shared/capture-context.ts';
import { MicroformError, microformError, parseErrorData } from '../shared/errors.ts';
import { isRecord, type Json, looksLikeJwt } from '../shared/guards.ts';
import { FIELD_TYPES, type FieldType, isFieldType } from '../shared/messages.ts';
import { cloneOptions, Field, type TokenizeAnswer } from './field.ts';
import { randomId } from './random-id.ts';

/** Longer than the iframe's own 30 s request timeout, so its answer normally wins. */
const TOKENIZE_TIMEOUT_MS = 35_000;

export type TokenCallback = (error: MicroformError | null, token?: string) => void;

export class Microform {
  readonly #context: CaptureContext;
  readonly #options: Json;
  readonly #id = randomId();
  readonly #fields = new Map<FieldType, Field>();

  constructor(context: CaptureContext, options: Json) {
    this.#context = context;
    this.#options = options;
  }

  createField(type: unknown, options?: unknown): Field {
    if (!isFieldType(type)) {
      const supported = FIELD_TYPES.join(', ');
      throw microformError('CREATE_FIELD_INVALID_FIELD_TYPE', {
        message: `Invalid field "${String(type)}". Supported values are [ ${supported} ].`,
        details: { message: `Supported values are [ ${supported} ].` },
      });
    }
    if (this.#fields.has(type)) {
      throw microformError('CREATE_FIELD_DUPLICATE', {
        message: `A "${type}" field has already been created for this integration.`,
      });
    }
    const field = new Field(
      {
        context: this.#context,
        microformId: this.#id,
        microformOptions: this.#options,
        release: (t) => this.#fields.delete(t),
      },
      type,
      isRecord(options) ? cloneOptions(options) : {},
    );
    this.#fields.set(type, field);
    return field;
  }

  createToken(options: unknown, callback: unknown): void {
    if (typeof callback !== 'function') {
      throw new TypeError('createToken requires a callback function.');
    }
    const done: TokenCallback = (error, token) => {
      callback(error, token);
    };
    const ready = [...this.#fields.values()].filter((f) => f.isReady);
    // The number field leads: it holds the card number and collects the rest (MF011).
    const leader = ready.find((f) => f.type === 'number') ?? ready[0];
    if (!leader) {
      setTimeout(() => done(microformError('CREATE_TOKEN_NO_FIELDS_LOADED')));
      return;
    }
    const requestId = randomId();
    let settled = false;
    const timer = setTimeout(() => {
      leader.cancelTokenize(requestId);
      settle({
        error: { reason: 'CREATE_TOKEN_TIMEOUT', message: 'Create token request timed out.' },
      });
    }, TOKENIZE_TIMEOUT_MS);
    const settle = (answer: TokenizeAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (answer.error !== undefined) {
        const data = parseErrorData(answer.error);
        done(new MicroformError(data ?? { reason: 'UNKNOWN_REASON', message: 'Unknown error.' }));
      } else if (looksLikeJwt(answer.token)) {
        done(null, answer.token);
      } else {
        done(microformError('MALFORMED_TOKENS_RESPONSE'));
      }
    };
    const request = {
      fields: ready.map((f) => f.type),
      options: tokenParams(options),
    };
    if (!leader.tokenize(requestId, request, settle)) {
      settle({
        error: {
          reason: 'CREATE_TOKEN_UNABLE_TO_START',
          message: 'Unable to trigger tokenization.',
        },
      });
    }
  }
}

/** Only the documented parameters travel; the iframe validates their values (MF011 regexes). */
function tokenParams(options: unknown): Json {
  const params: Json = {};
  if (!isRecord(options)) return params;
  for (const key of ['expirationMonth', 'expirationYear', 'type']) {
    const value = options[key];
    if (value !== undefined && value !== null) params[key] = String(value);
  }
  return params;
}
