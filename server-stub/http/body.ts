/**
 * @module Reading what the browser sends: every body and query parsed with a strict zod schema.
 * Malformed JSON, wrong types, unknown fields and oversized bodies are a 400 with a code and
 * field details, before anything else happens (no upstream call, never a 500).
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { stubError } from '../errors.ts';
import { maskCardNumbers } from './redact.ts';

export const MAX_BODY_BYTES = 16 * 1024;

type Issue = z.core.$ZodIssue;

/** Keys of the body itself that a branch does not know: the surest sign it is the wrong one. */
const unknownTopKeys = (issues: Issue[]) =>
  issues.reduce(
    (n, i) => n + (i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys.length : 0),
    0,
  );

/**
 * A union's failure, told by its closest branch: the one that knows the most of the body's own
 * keys, then the one with the fewest issues. A new-card body with a bad `sessionId` reports
 * `sessionId`, not "matches no shape"; one missing most of a required address reports the
 * address, never the saved-card shape (whose issues are fewer: its `paymentMethodId` and the
 * new card's keys it does not know).
 */
function closest(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const best = issue.errors.reduce((a, b) => {
    const byKeys = unknownTopKeys(b) - unknownTopKeys(a);
    return byKeys < 0 || (byKeys === 0 && b.length < a.length) ? b : a;
  });
  return best.flatMap((i) => closest({ ...i, path: [...issue.path, ...i.path] }));
}

function problems(error: z.ZodError, where = '(body)') {
  // Paths and codes only: never echo the received values (they may be card data pasted by
  // mistake). Zod's messages hold only the schema's own words and limits, except an unknown
  // key's name, so a card number sent as a key is masked there (and in every path).
  return error.issues.flatMap(closest).map((i) => ({
    field: maskCardNumbers(i.path.join('.')) || where,
    code: i.code,
    message: i.code === 'unrecognized_keys' ? maskCardNumbers(i.message) : i.message,
  }));
}

/** Parses the JSON body; an empty body counts as `{}` when `emptyAllowed`. */
export async function readBody<T>(
  c: Context,
  schema: z.ZodType<T>,
  options: { emptyAllowed?: boolean } = {},
): Promise<T> {
  // A compressed body read as text is a malformed JSON 400 that hides the cause: RFC 9110
  // §15.5.16 says 415, with Accept-Encoding naming what is taken (none but identity).
  const coding = c.req.header('content-encoding')?.trim().toLowerCase();
  if (coding && coding !== 'identity')
    throw stubError('unsupported_content_encoding', { headers: { 'accept-encoding': 'identity' } });
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES)
    throw stubError('body_too_large', { details: { maxBytes: MAX_BODY_BYTES } });
  const buffer = await c.req.arrayBuffer();
  if (buffer.byteLength > MAX_BODY_BYTES)
    throw stubError('body_too_large', { details: { maxBytes: MAX_BODY_BYTES } });
  const text = new TextDecoder().decode(buffer);
  let value: unknown;
  // Only no bytes at all is "no body": whitespace alone is malformed JSON like any other.
  if (text === '') {
    if (!options.emptyAllowed)
      throw stubError('invalid_json', { message: 'The request body is empty.' });
    value = {};
  } else {
    try {
      value = JSON.parse(text);
    } catch {
      throw stubError('invalid_json');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw stubError('invalid_request', { details: problems(parsed.error) });
  return parsed.data;
}

export function readQuery<T>(c: Context, schema: z.ZodType<T>): T {
  // `?limit=1&limit=2` has no one meaning: refused, never read as its first value.
  const repeated = Object.entries(c.req.queries())
    .filter(([, values]) => values.length > 1)
    .map(([key]) => ({
      field: maskCardNumbers(key),
      code: 'repeated',
      message: 'given more than once',
    }));
  if (repeated.length > 0) throw stubError('invalid_request', { details: repeated });
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success)
    throw stubError('invalid_request', { details: problems(parsed.error, '(query)') });
  return parsed.data;
}

export function readParam<T>(c: Context, name: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(c.req.param(name));
  if (!parsed.success) throw stubError('not_found');
  return parsed.data;
}
