/**
 * @module The answer to a request no route takes: 405 with `Allow` when its path is one of ours
 * under another method (RFC 9110 §15.5.6: a `GET` of the payments endpoint, a `DELETE` of a
 * subscription), so an integrator reads "wrong method" instead of "no such endpoint"; 404
 * otherwise.
 */
import { type StubError, stubError } from '../errors.ts';

interface Routed {
  routes: readonly { method: string; path: string }[];
}

/**
 * The methods each path takes, from the app's own route table (middleware, registered as ALL,
 * aside), read once at the first call: every route is registered by then.
 */
export function methodTable(app: Routed): (path: string) => string[] {
  let table: ((path: string) => string[]) | undefined;
  return (path) => {
    table ??= build(app);
    return table(path);
  };
}

function build(app: Routed): (path: string) => string[] {
  const patterns = app.routes
    .filter((r) => r.method !== 'ALL' && !r.path.includes('*'))
    .map((r) => ({
      method: r.method,
      // `:id` matches one segment, as Hono's router reads it.
      re: new RegExp(
        `^${r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}/?$`,
      ),
    }));
  return (path) => {
    const methods = new Set(patterns.filter((p) => p.re.test(path)).map((p) => p.method));
    // HEAD answers wherever GET does (Hono runs the GET route), OPTIONS is the CORS preflight.
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}

/** 405 with `Allow` for a path some route takes under another method, else 404 `not_found`. */
export function unmatched(allowedFor: (path: string) => string[], path: string): StubError {
  const allowed = allowedFor(path);
  if (allowed.length === 0) return stubError('not_found');
  return stubError('method_not_allowed', {
    details: { allowed },
    headers: { allow: allowed.join(', ') },
  });
}
