/**
 * @module Which calls the emulator takes an encrypted request body on.
 *
 * The shared table (`requestMleApplies`: POST and PATCH under `/pts/` and `/tms/`), plus
 * `POST /tss/v2/searches`: the official SDK marks that call's request MLE `optional` too
 * (cybersource-rest-client 0.0.83, `SearchTransactionsApi.js` createSearch, `inboundMLEStatus`),
 * so with `enableRequestMLEForOptionalApisGlobally` it sends the search encrypted, and the shared
 * table leaves it out. The SDK is the reference; the shared table should take it in, and this
 * addition go.
 */
import { requestMleApplies } from '../../cybersource/mle/index.ts';

export function takesRequestMle(method: string, path: string): boolean {
  return (
    requestMleApplies(method, path) ||
    (method.toUpperCase() === 'POST' && path.replace(/\/$/, '') === '/tss/v2/searches')
  );
}
