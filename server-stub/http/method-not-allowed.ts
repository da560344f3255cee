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
    .map((r) => ({ method: r.method, re: pathPattern(r.path) }));
  return (path) => {
    const methods = new Set(patterns.filter((p) => p.re.test(path)).map((p) => p.method));
    // HEAD answers wherever GET does (Hono runs the GET route). OPTIONS is left out: the
    // origin guard answers an allowed site's preflight before any route.
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}

/**
 * The methods an `OPTIONS` of one of our paths is told (RFC 9110 §9.3.7), OPTIONS included;
 * undefined for a path that is none of ours. A browser's CORS preflight from an allowed site
 * never gets here: the origin guard answers it first.
 */
export function optionsAllow(
  allowedFor: (path: string) => string[],
  path: string,
): string | undefined {
  const allowed = allowedFor(path);
  return allowed.length === 0 ? undefined : [...allowed, 'OPTIONS'].sort().join(', ');
}

/**
 * 405 with `Allow` for a path some route takes under another method, else 404 `not_found` (also
 * when the table would list the request's own method: a route that declined it, never "use
 * the method you sent").
 */
export function unmatched(
  allowedFor: (path: string) => string[],
  path: string,
  method: string,
): StubError {
  const allowed = allowedFor(path);
  if (allowed.length === 0 || allowed.includes(method)) return stubError('not_found');
  return stubError('method_not_allowed', {
    details: { allowed },
    headers: { allow: allowed.join(', ') },
  });
}

/**
 * A route's path as Hono's router reads it, strictly (no trailing slash): a `:name` is one
 * segment, a `:name{regex}` one segment matching its regex.
 */
function pathPattern(path: string): RegExp {
  const literal = (t: string) => t.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const segments = path.split('/').map((seg) => {
    if (!seg.startsWith(':')) return literal(seg);
    const open = seg.indexOf('{');
    return open < 0 ? '[^/]+' : `(?:${seg.slice(open + 1, seg.lastIndexOf('}'))})`;
  });
  return new RegExp(`^${segments.join('/')}$`);
}
