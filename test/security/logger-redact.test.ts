/**
 * The stub's logger (server-stub/logger.ts) blanks secrets, tokens, capture contexts, credentials
 * and cookies wherever a log line would carry them: top level, one level down, and in a logged
 * request's headers. A safety net behind the rule that code never logs them.
 */
import { expect, it } from 'vitest';
import { createLogger } from '../../server-stub/logger.ts';
import { LogSink } from '../server-stub/harness.ts';

const RAW = 'not-for-any-log';

/** Log objects as a careless line could carry them; every value in them must be blanked. */
const CARELESS: [string, object][] = [
  ['the merchant settings', { secret: RAW, secretKey: RAW, secretBase64: RAW, adminToken: RAW }],
  ['settings one level down', { config: { secret: RAW, secretKey: RAW } }],
  ['a checkout body', { transientToken: RAW, transientTokenJwt: RAW, captureContext: RAW }],
  [
    'a checkout body one level down',
    {
      body: { transientToken: RAW, captureContext: RAW },
      tokenInformation: { transientTokenJwt: RAW },
    },
  ],
  ['credentials', { authorization: RAW, cookie: RAW }],
  ['headers', { headers: { authorization: RAW, cookie: RAW } }],
  ["a request's headers", { req: { headers: { authorization: RAW, cookie: RAW } } }],
];

/** Each value's path in `o`, as `a.b`, with what `o` holds there. */
const values = (o: object, at = ''): [string, unknown][] =>
  Object.entries(o).flatMap(([key, v]) =>
    typeof v === 'object' && v !== null ? values(v, `${at}${key}.`) : [[`${at}${key}`, v]],
  );

it.each(CARELESS)('blanks %s in a log line, keeping the rest of it', (_, carried) => {
  const sink = new LogSink();
  createLogger({ destination: sink }).info({ ...carried, requestId: 'r1' }, 'line');
  expect(sink.text).not.toContain(RAW);
  const line = JSON.parse(sink.text);
  const blanked = values(carried).map(([path]) => [path, '[redacted]']);
  const logged = values(line).filter(([path]) => blanked.some(([p]) => p === path));
  expect(Object.fromEntries(logged)).toEqual(Object.fromEntries(blanked));
  expect(line).toMatchObject({ requestId: 'r1', msg: 'line' });
});
