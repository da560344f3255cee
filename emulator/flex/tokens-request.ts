/**
 * @module The body of `POST /flex/v2/tokens`: a compact JWE from the Microform iframe
 * (API-FACTS §5.4), decrypted with the one-time private key of the capture context whose
 * `flx.jwk.kid` it names, then handed to the shared `tokenize`.
 */
import { compactDecrypt, decodeProtectedHeader } from 'jose';
import {
  TOKENS_JWE_ALG,
  TOKENS_JWE_ENC,
  type TokensErrorDetail,
  type TokensErrorReason,
  TokensPlaintext,
} from '../../cybersource/microform-sessions/tokens.ts';
import type { EmulatorDeps } from '../http/env.ts';
import { locationOf } from './sessions-errors.ts';
import { type TokenizeResult, tokenize } from './tokenize.ts';
import { tokensFailure } from './tokens-errors.ts';

/** Zod paths of the plaintext → the `captureData.*` locations the iframe understands. */
function plaintextLocation(path: readonly PropertyKey[]): string {
  return path[0] === 'data'
    ? locationOf(['captureData', ...path.slice(1)])
    : locationOf(path) || 'body';
}

export async function tokensFromJwe(
  { state }: EmulatorDeps,
  jwe: string,
  correlationId: string,
): Promise<TokenizeResult> {
  const fail = (reason: TokensErrorReason, message: string, details?: TokensErrorDetail[]) => ({
    ok: false as const,
    failure: tokensFailure(correlationId, reason, message, details),
  });
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwe);
  } catch {
    return fail('JSON_PARSER_ERROR', 'Request body is not a compact JWE.');
  }
  // Stricter than MF011's 0.11 iframe (RSA-OAEP): only what the v2 emulation sends (README.md).
  if (header.alg !== TOKENS_JWE_ALG || header.enc !== TOKENS_JWE_ENC) {
    return fail(
      'DECRYPTION_ERROR',
      `JWE must use alg ${TOKENS_JWE_ALG} and enc ${TOKENS_JWE_ENC}.`,
    );
  }
  const context =
    typeof header.kid === 'string' ? state.flex.contextByFlxKid(header.kid) : undefined;
  if (!context) return fail('DECRYPTION_ERROR', 'Unable to decrypt the request: unknown key.');
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(jwe, context.privateKey, {
      keyManagementAlgorithms: [TOKENS_JWE_ALG],
      contentEncryptionAlgorithms: [TOKENS_JWE_ENC],
    }));
  } catch {
    return fail('DECRYPTION_ERROR', 'Unable to decrypt the request.');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(plaintext));
  } catch {
    return fail('JSON_PARSER_ERROR', 'Decrypted request is not valid JSON.');
  }
  const parsed = TokensPlaintext.safeParse(json);
  if (!parsed.success) {
    return fail(
      'VALIDATION_ERROR',
      'One or more fields failed validation.',
      parsed.error.issues.map((i) => ({ location: plaintextLocation(i.path), message: i.message })),
    );
  }
  // The context travels inside the JWE too; it must be the one this key belongs to.
  if (parsed.data.context !== context.jwt) {
    return fail(
      'CAPTURE_CONTEXT_INVALID',
      'The capture context does not match the encryption key.',
    );
  }
  return tokenize(state.flex, context, parsed.data.data, state.now(), correlationId);
}
