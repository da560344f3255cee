/**
 * @module Content negotiation for the files the stub serves itself (the widget bundle):
 * `Accept-Encoding` (RFC 9110 §12.5.3) and `If-None-Match` (§13.1.2).
 */

/** The codings the stub keeps its files in, besides identity, in order of preference. */
const CODINGS = ['br', 'gzip'] as const;
export type Coding = (typeof CODINGS)[number];

/**
 * The coding to send, or undefined for the file as it is. A weight that is not a valid qvalue
 * makes its coding unacceptable: identity is always a safe answer, a coding the client cannot
 * read is not. No header at all is answered with identity too (RFC 9110 allows any coding
 * then, but a client that sends none, like curl without `--compressed`, rarely decodes one).
 * Among equal weights the smaller file (br) wins; identity listed with a higher weight than
 * every coding wins over them.
 */
export function negotiateCoding(header: string | undefined): Coding | undefined {
  if (!header) return undefined;
  const weights = new Map<string, number>();
  for (const member of header.toLowerCase().split(',')) {
    const [name = '', ...params] = member.split(';').map((s) => s.trim());
    if (!name) continue;
    const q = params.find((p) => /^q\s*=/.test(p));
    const value = q === undefined ? '1' : /^q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.exec(q)?.[1];
    weights.set(name, value === undefined ? 0 : Number(value));
  }
  const weight = (c: string) =>
    weights.get(c) ?? (c === 'gzip' ? weights.get('x-gzip') : undefined) ?? weights.get('*') ?? 0;
  let best: Coding | undefined;
  for (const c of CODINGS) if (weight(c) > (best ? weight(best) : 0)) best = c;
  return best && weight(best) >= (weights.get('identity') ?? 0) ? best : undefined;
}

/**
 * Whether `If-None-Match` names `etag` (then the answer is 304): a list of entity tags compared
 * weakly (a `W/` prefix does not matter for this header), or `*`.
 */
export function etagListed(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}
