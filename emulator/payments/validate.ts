/**
 * @module Request bodies through zod, refusals as CyberSource words them: each failing field by
 * its dotted JSON path, MISSING_FIELD when absent, INVALID_DATA otherwise (API-FACTS §2.7).
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { readJson } from '../http/body.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { type FieldDetail, invalidRequest } from './errors.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Zod issues → `details`, one per field; array indexes are dropped (`actionList`, not `actionList.0`). */
export function issuesToDetails(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
): FieldDetail[] {
  const seen = new Map<string, FieldDetail>();
  const add = (path: readonly PropertyKey[], reason: FieldDetail['reason']) => {
    const field = path.filter((k) => typeof k === 'string').join('.');
    if (!seen.has(field)) seen.set(field, { field, reason });
  };
  for (const issue of issues) {
    // A strict object's unknown keys are refused each on its own dotted path (`…billTo.foo`).
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([...issue.path, key], 'INVALID_DATA');
      continue;
    }
    // A union (a transactionId's string or number) reports an absent value as `invalid_union`.
    const missing =
      (issue.code === 'invalid_type' || issue.code === 'invalid_union') &&
      valueAt(input, issue.path) === undefined;
    add(issue.path, missing ? 'MISSING_FIELD' : 'INVALID_DATA');
  }
  return [...seen.values()];
}

/** Reads the JSON body and parses it; the refusal is ready to return. */
export async function parseBody<S extends z.ZodType>(
  c: Context<EmulatorEnv>,
  schema: S,
  submitTimeUtc: () => string,
): Promise<Parsed<z.infer<S>>> {
  const body = await readJson(c);
  if (
    !body.ok ||
    body.value === null ||
    typeof body.value !== 'object' ||
    Array.isArray(body.value)
  ) {
    // A missing or malformed body (a void with no `{}`, say) is refused like bad data.
    return { ok: false, response: invalidRequest(c, submitTimeUtc(), 'INVALID_DATA') };
  }
  const parsed = schema.safeParse(body.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const details = issuesToDetails(parsed.error.issues, body.value);
  const reason = details.some((d) => d.reason === 'MISSING_FIELD')
    ? 'MISSING_FIELD'
    : 'INVALID_DATA';
  return { ok: false, response: invalidRequest(c, submitTimeUtc(), reason, details) };
}
