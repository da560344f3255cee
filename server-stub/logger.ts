/**
 * @module Structured logs (pino). Redaction is a safety net; the real rule is that code never
 * hands a secret, card data, a transient token or a whole capture context to the logger
 * (RELIABILITY-FACTS §1.3).
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out if they ever reach a log line. */
const REDACT = [
  'secret',
  'secretKey',
  'secretBase64',
  'transientToken',
  'transientTokenJwt',
  'captureContext',
  'authorization',
  'cookie',
  'adminToken',
  '*.secret',
  '*.secretKey',
  '*.transientToken',
  '*.transientTokenJwt',
  '*.captureContext',
  '*.authorization',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(
  options: { level?: string; destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'server-stub' },
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    options.destination,
  );
}
