/**
 * @module What an operator needs from a CyberSource answer to ask CyberSource support about it,
 * and nothing more: the `v-c-correlation-id` response header (CyberSource's own samples print
 * it), and for a refusal its `id`, `status`, `reason` and the names of the fields it names (the
 * Payments envelope `details[].field`, TMS `errors[].type` and `details[].name`, Flex
 * `details[].location`; API-FACTS §2.7, §3.2, §4). Only values shaped like identifiers, enum
 * codes and field paths are kept: an answer's `message` or any other text could quote what was
 * sent, so it never reaches a log.
 */

import { maskCardNumbers } from '../http/redact.ts';

const TOKEN = /^[A-Za-z0-9_.[\]-]{1,100}$/;
const MAX_FIELDS = 10;

export interface RefusalSummary {
  id?: string;
  status?: string;
  reason?: string;
  fields?: string[];
}

/** An identifier-shaped value with no card-number-shaped digit run (a 22-digit id has none). */
const token = (v: unknown): string | undefined =>
  typeof v === 'string' && TOKEN.test(v) && maskCardNumbers(v) === v ? v : undefined;

const list = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v)
    ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object')
    : [];

/** The loggable parts of a non-2xx answer's body; undefined when it has none (HTML, empty). */
export function refusalSummary(text: string): RefusalSummary | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const status = b.responseStatus && typeof b.responseStatus === 'object' ? b.responseStatus : b;
  const s = status as Record<string, unknown>;
  const errors = list(b.errors);
  const fields = [
    ...list(s.details).map((d) => token(d.field) ?? token(d.location)),
    ...errors.flatMap((e) => list(e.details).map((d) => token(d.name))),
  ].filter((f): f is string => f !== undefined);
  const id = token(b.id);
  const code = token(s.status);
  const reason = token(s.reason) ?? token(errors[0]?.type);
  const summary: RefusalSummary = {
    ...(id ? { id } : {}),
    ...(code ? { status: code } : {}),
    ...(reason ? { reason } : {}),
    ...(fields.length ? { fields: [...new Set(fields)].slice(0, MAX_FIELDS) } : {}),
  };
  return Object.keys(summary).length ? summary : undefined;
}
