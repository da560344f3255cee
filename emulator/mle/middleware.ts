/**
 * @module Message-level encryption (MLE) of REST calls, as CyberSource applies it under JWT
 * authentication (cybersource/mle; the official SDK's MLE.md): two middlewares around the
 * scripted faults.
 *
 * `mleRequest` runs after authentication and before the faults, so a request refused here never
 * uses up a scripted fault and nothing is processed:
 * - a JWT naming a response key (`v-c-response-mle-kid`) the merchant never registered is refused;
 * - on a call that takes request MLE (`requestMleApplies`, cybersource/mle), a JWT request whose body is exactly
 *   `{"encryptedRequest"}` is decrypted with the request key, and every handler then reads the
 *   plaintext; one that does not decrypt, or names another key, is refused; a plain body is
 *   refused while `EMULATOR_MLE_REQUIRED` is on.
 * An HTTP-signature request is never decrypted (the guide: "MLE is supported when using JSON web
 * tokens"; the SDK sends it plain under HTTP signature): its handler refuses an
 * `encryptedRequest` body as any body lacking its fields. Nor is it refused as plain when MLE is
 * required: the mandate is for JWT calls, and an HTTP signature cannot carry MLE [inferred].
 *
 * `mleResponse` runs inside the faults, next to the handler: the handler's JSON answer, any
 * status, is encrypted to the registered key. A fault's 502 or lost answer stays as the gateway
 * gives it, plain [inferred: those come from in front of the service that holds the merchant's
 * MLE settings], and a 401 necessarily does (no JWT was verified to name a key).
 */
import type { Context, MiddlewareHandler } from 'hono';
import {
  decryptMessage,
  EncryptedRequest,
  requestMleApplies,
} from '../../cybersource/mle/index.ts';
import type { MleNote } from '../control/request-log.ts';
import { rawBody } from '../http/body.ts';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { encryptAnswer } from './answer.ts';
import { type MleFailure, mleRefusal } from './refusal.ts';
import { currentRequestKey } from './request-key.ts';

/** Records what MLE did, as a new object: an entry already logged keeps what it said then. */
function note(c: Context<EmulatorEnv>, add: MleNote): void {
  c.set('mle', { ...c.get('mle'), ...add });
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

type RequestRead = { ok: true } | { ok: false; failure: MleFailure };

/** Decrypts an encrypted body in place (`rawBody`), or says why the request is refused. */
async function readRequest(c: Context<EmulatorEnv>, deps: EmulatorDeps): Promise<RequestRead> {
  const { state, config, keys } = deps;
  const encrypted = EncryptedRequest.safeParse(parseJson(await rawBody(c)));
  if (!encrypted.success)
    return config.mleRequired ? { ok: false, failure: 'not_encrypted' } : { ok: true };
  const key = await currentRequestKey(state.mle, keys, () => state.now());
  const plain = await decryptMessage(encrypted.data.encryptedRequest, key.privateKey);
  if (!plain.ok) return { ok: false, failure: 'undecryptable' };
  if (plain.kid !== key.kid) return { ok: false, failure: 'wrong_kid' };
  // The digest was checked over the encrypted bytes, as sent (the SDK signs the encrypted body).
  c.set('rawBody', new TextEncoder().encode(plain.plaintext));
  note(c, { requestDecrypted: true });
  return { ok: true };
}

/** `res` encrypted to the request's response key, when it named one and `res` is JSON. */
async function answer(c: Context<EmulatorEnv>, deps: EmulatorDeps, res: Response) {
  const recipient = c.get('responseMle');
  const encrypted = recipient && (await encryptAnswer(res, recipient, deps.state.now()));
  if (!encrypted) return res;
  note(c, { responseEncrypted: true });
  return encrypted;
}

export function mleRequest(deps: EmulatorDeps): MiddlewareHandler<EmulatorEnv> {
  const { state } = deps;
  return async (c, next) => {
    const kid = c.get('responseMleKid');
    if (kid !== undefined) {
      note(c, { responseKid: kid });
      const publicKey = state.mle.responseKey(c.get('merchantId'), kid);
      // No key to encrypt with: the refusal is necessarily plain.
      if (!publicKey) return refuse(c, deps, 'unknown_response_kid');
      c.set('responseMle', { publicKey, kid });
    }
    if (c.get('authScheme') === 'jwt' && requestMleApplies(c.req.method, c.req.path)) {
      const read = await readRequest(c, deps);
      if (!read.ok) return answer(c, deps, refuse(c, deps, read.failure));
    }
    await next();
    return undefined;
  };
}

function refuse(c: Context<EmulatorEnv>, deps: EmulatorDeps, failure: MleFailure): Response {
  note(c, { refused: failure });
  return mleRefusal(c, deps.state.submitTimeUtc(), failure);
}

export function mleResponse(deps: EmulatorDeps): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    await next();
    const res = await answer(c, deps, c.res);
    if (res === c.res) return;
    // Unset first: assigning over an answer would copy its headers onto this one.
    c.res = undefined;
    c.res = res;
  };
}
