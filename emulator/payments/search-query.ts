/**
 * @module The part of the Transaction Search query language the emulator understands: terms
 * joined by ` AND `, each `field:value` (optionally quoted) or a `submitTimeUtc` range such as
 * `[NOW/DAY-7DAYS TO NOW/DAY+1DAY}` (`[`/`]` inclusive, `{`/`}` exclusive), as the official
 * search sample sends (SAMPLES `Samples/TransactionSearch/create-search-request.js`).
 * Anything else is refused rather than ignored, so a query never silently matches too much.
 */

export type Term =
  | { field: 'clientReferenceInformation.code' | 'id' | 'merchantId'; value: string }
  | {
      field: 'submitTimeUtc';
      from: number;
      to: number;
      fromInclusive: boolean;
      toInclusive: boolean;
    };

const EQUALITY = new Set(['clientReferenceInformation.code', 'id', 'merchantId']);
const UNIT_MS: Record<string, number> = {
  SECOND: 1e3,
  MINUTE: 6e4,
  HOUR: 3.6e6,
  DAY: 8.64e7,
  WEEK: 6.048e8,
};

/** `NOW`, `NOW/DAY`, `NOW-7DAYS`, `NOW/DAY+1DAY` or an ISO date-time, in ms; undefined if not understood. */
export function dateMath(expr: string, now: Date): number | undefined {
  const iso = Date.parse(expr);
  if (!expr.startsWith('NOW')) return Number.isNaN(iso) ? undefined : iso;
  let t = now.getTime();
  let rest = expr.slice(3);
  while (rest) {
    const m = /^([/+-])(\d*)(SECOND|MINUTE|HOUR|DAY|WEEK)S?/.exec(rest);
    if (!m) return undefined;
    const [all, op, n, unit = ''] = m;
    const ms = UNIT_MS[unit] ?? 0;
    if (op === '/') {
      if (n) return undefined;
      t = Math.floor(t / ms) * ms;
    } else {
      if (!n) return undefined;
      t += (op === '+' ? 1 : -1) * Number(n) * ms;
    }
    rest = rest.slice(all.length);
  }
  return t;
}

export function parseQuery(query: string, now: Date): Term[] | undefined {
  const terms: Term[] = [];
  for (const raw of query.trim().split(/\s+AND\s+/)) {
    const colon = raw.indexOf(':');
    if (colon <= 0) return undefined;
    const field = raw.slice(0, colon);
    const value = raw.slice(colon + 1).trim();
    if (field === 'submitTimeUtc') {
      const m = /^([[{])(\S+) TO (\S+)([\]}])$/.exec(value);
      const from = m?.[2] === '*' ? -Infinity : dateMath(m?.[2] ?? '', now);
      const to = m?.[3] === '*' ? Infinity : dateMath(m?.[3] ?? '', now);
      if (!m || from === undefined || to === undefined) return undefined;
      terms.push({ field, from, to, fromInclusive: m[1] === '[', toInclusive: m[4] === ']' });
    } else if (EQUALITY.has(field) && value) {
      const unquoted = /^"(.*)"$/.exec(value)?.[1] ?? value;
      terms.push({ field: field as 'id', value: unquoted });
    } else {
      return undefined;
    }
  }
  return terms;
}
