/**
 * @module Authentication middleware: HTTP signature or JWT, before any routing decision.
 *
 * Every failure answers 401 `{"response":{"rmsg":"Authentication Failed"}}` as CyberSource
 * does (API-FACTS §1.4); the precise failure is kept for the emulator's own request log only,
 * never sent, the way the real service keeps it to itself.
 */
import type { MiddlewareHandler } from 'hono';
import { verifyHttpSignature, verifyJwtRequest } from '../../cybersource/auth/index.ts';
import { AUTH_FAILED_BODY } from '../../cybersource/envelopes.ts';
import { rawBody, requestTarget } from './body.ts';
import type { EmulatorDeps, EmulatorEnv } from './env.ts';

export function authenticate({ state, config }: EmulatorDeps): MiddlewareHandler<EmulatorEnv> {
  const findKey = (keyId: string) => config.keys.find((k) => k.keyId === keyId);
  // hosts a client may have signed, to name a wrong Host header in the request log
  const knownHosts = [...config.hostAliases, new URL(config.publicUrl).host];
  return async (c, next) => {
    const body = await rawBody(c);
    const target = requestTarget(c);
    const host = c.req.header('host') ?? '';
    const authorization = c.req.header('authorization');
    const now = state.now();
    const result = authorization
      ? await verifyJwtRequest(
          { method: c.req.method, target, host, authorization, body },
          { now, findKey, replayGuard: state.jti, hostAliases: config.hostAliases },
        )
      : verifyHttpSignature(
          { method: c.req.method, target, header: (n) => c.req.header(n), body },
          { now, findKey, maxSkewSeconds: config.maxSkewSeconds, knownHosts },
        );
    if (!result.ok) {
      state.noteAuthFailure(result.failure);
      return c.json(AUTH_FAILED_BODY, 401);
    }
    c.set('merchantId', result.key.merchantId);
    c.set('authScheme', authorization ? 'jwt' : 'http-signature');
    // Only a JWT carries the claim asking for an encrypted answer (cybersource/mle).
    if ('responseMleKid' in result && typeof result.responseMleKid === 'string')
      c.set('responseMleKid', result.responseMleKid);
    await next();
    return undefined;
  };
}
