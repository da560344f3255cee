/**
 * @module Origins the checkout is served on: they become the capture context's `targetOrigins`
 * and the CORS allow-list. The rules (https or http://localhost, no wildcards, at most nine) are
 * the shared ones of `cybersource/microform-sessions/target-origins.ts` (RELIABILITY-FACTS §3.1);
 * here a trailing slash is forgiven, since people type origins by hand.
 */
import {
  MAX_TARGET_ORIGINS,
  targetOriginProblem,
} from '../../cybersource/microform-sessions/target-origins.ts';

export { isLoopbackHost } from '../../cybersource/loopback.ts';
export { MAX_TARGET_ORIGINS };

/** The canonical origin of a hand-typed origin, or why it is not one. */
export function parseOrigin(
  text: string,
): { ok: true; origin: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `"${text}" is not a URL origin` };
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    return { ok: false, message: `"${text}" must be scheme://host[:port] with no path` };
  }
  const problem = text.includes('*')
    ? 'wildcards are not supported'
    : targetOriginProblem(url.origin);
  return problem
    ? { ok: false, message: `"${text}": ${problem}` }
    : { ok: true, origin: url.origin };
}
