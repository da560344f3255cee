/**
 * @module Reading a TMS request: JSON body through a strict zod schema, paging query,
 * `profile-id` and `if-match` headers. Each failure is already the answer to send.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { z } from 'zod';
import { PageQuery } from '../../cybersource/tms/common.ts';
import { readJson } from '../http/body.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { MESSAGES, oneError, type TmsError, type TmsErrorDetail, tmsError } from './errors.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

function pathText(parts: readonly PropertyKey[]): string {
  return parts.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
}

/** `['merchantDefinedInformation', 0, 'name']` → `{name:'name', location:'merchantDefinedInformation[0]'}`. */
export function detailFor(path: readonly PropertyKey[], leaf?: string): TmsErrorDetail | undefined {
  const parts = leaf === undefined ? path : [...path, leaf];
  const last = parts.at(-1);
  if (last === undefined) return undefined;
  if (typeof last !== 'string') return { name: pathText(parts) };
  const location = pathText(parts.slice(0, -1));
  return location ? { name: last, location } : { name: last };
}

/**
 * zod issues → TMS errors, one entry per kind: unknown keys (`unknownField`, SPEC2020), absent
 * required fields (`missingFields`) and bad values (`invalidFields`, NODE InlineResponse400Errors).
 */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[]): TmsError[] {
  const kinds: Record<
    'unknownField' | 'missingFields' | 'invalidFields',
    (TmsErrorDetail | undefined)[]
  > = { unknownField: [], missingFields: [], invalidFields: [] };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) kinds.unknownField.push(detailFor(issue.path, key));
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      kinds.missingFields.push(detailFor(issue.path));
    } else {
      kinds.invalidFields.push(detailFor(issue.path));
    }
  }
  const errors: TmsError[] = [];
  for (const type of ['unknownField', 'missingFields', 'invalidFields'] as const) {
    const found = kinds[type];
    if (found.length === 0) continue;
    const details = found.filter((d): d is TmsErrorDetail => d !== undefined);
    errors.push({
      type,
      message: MESSAGES[type],
      ...(details.length ? { details } : {}),
    });
  }
  return errors;
}

/**
 * Parses the body with `schema`. Top-level fields the real API documents but the emulator does
 * not emulate (bank accounts, network tokens, …) answer `unsupportedFields` rather than
 * `unknownField`, so the difference between "wrong" and "not here" stays visible.
 */
export async function parseBody<S extends z.ZodType>(
  c: Context<EmulatorEnv>,
  schema: S,
  unsupported: readonly string[] = [],
): Promise<Parsed<z.output<S>>> {
  const read = await readJson(c);
  if (!read.ok) {
    return { ok: false, response: oneError(c, 400, 'invalidFields', MESSAGES.malformedBody) };
  }
  const raw = read.value;
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const present = unsupported.filter((k) => Object.hasOwn(raw, k));
    if (present.length) {
      return {
        ok: false,
        response: oneError(
          c,
          400,
          'unsupportedFields',
          MESSAGES.unsupportedFields,
          present.map((name) => ({ name })),
        ),
      };
    }
  }
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, response: tmsError(c, 400, issuesToErrors(parsed.error.issues)) };
  }
  return { ok: true, value: parsed.data };
}

export type PageParams = { offset: number; limit: number };

/** `offset`/`limit` (and `retrieveBinDetails`); `_` is the SDK's cache-buster (API-FACTS §1.3). */
export function parsePageQuery(c: Context<EmulatorEnv>): Parsed<PageParams> {
  const { _: _cacheBuster, ...query } = c.req.query();
  const parsed = PageQuery.safeParse(query, { reportInput: true });
  if (!parsed.success) {
    const details = parsed.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((name) => ({ name, location: 'query' }))
        : [{ name: String(i.path[0] ?? ''), location: 'query' }],
    );
    return {
      ok: false,
      response: oneError(c, 400, 'invalidParameters', MESSAGES.invalidParameters, details),
    };
  }
  return { ok: true, value: { offset: parsed.data.offset, limit: parsed.data.limit } };
}

/** Single-token endpoints take no query but the optional `retrieveBinDetails` flag. */
export function checkTokenQuery(c: Context<EmulatorEnv>): Response | undefined {
  const { _: _cacheBuster, retrieveBinDetails, ...rest } = c.req.query();
  const bad = Object.keys(rest).map((name) => ({ name, location: 'query' }));
  if (
    retrieveBinDetails !== undefined &&
    retrieveBinDetails !== 'true' &&
    retrieveBinDetails !== 'false'
  ) {
    bad.push({ name: 'retrieveBinDetails', location: 'query' });
  }
  return bad.length
    ? oneError(c, 400, 'invalidParameters', MESSAGES.invalidParameters, bad)
    : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `profile-id` is optional (API-FACTS §3.1). The emulator cannot know a merchant's TMS
 * profiles, so any UUID passes and anything else is the real 424 "Profile not found".
 */
export function checkProfile(c: Context<EmulatorEnv>): Response | undefined {
  const profile = c.req.header('profile-id');
  if (profile === undefined || UUID.test(profile)) return undefined;
  return oneError(c, 424, 'notFound', MESSAGES.profileNotFound);
}

/** Strong ETag of a token's representation (open question 11: emitted, see README). */
export function etagOf(representation: unknown): string {
  const hash = createHash('sha256').update(JSON.stringify(representation)).digest('hex');
  return `"${hash.slice(0, 32)}"`;
}

/** `if-match` on PATCH and DELETE: absent or `*` passes; anything but the current ETag is 412. */
export function checkIfMatch(c: Context<EmulatorEnv>, currentEtag: string): Response | undefined {
  const header = c.req.header('if-match');
  if (header === undefined) return undefined;
  const tags = header.split(',').map((t) => t.trim());
  if (tags.includes('*') || tags.includes(currentEtag)) return undefined;
  return oneError(c, 412, 'conflict', MESSAGES.preconditionFailed);
}
