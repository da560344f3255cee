/**
 * @module What went wrong below the JSON: the call timed out, the connection failed, the answer
 * came encrypted and could not be decrypted (message-level encryption, cybersource/mle), or the
 * request could not be encrypted. `sent` says whether CyberSource may have received the request;
 * only `sent: false` is safe to resend for a payment (RELIABILITY-FACTS §3.6: "only connection
 * failures before any byte was sent").
 */

export type TransportFailure = 'timeout' | 'connection' | 'unreadable' | 'encryption';

const MESSAGES: Record<TransportFailure, string> = {
  timeout: 'CyberSource did not answer in time',
  connection: 'connection to CyberSource failed',
  // Processed, perhaps: an unread payment answer is an unknown outcome, never a failure.
  unreadable: 'the CyberSource answer came encrypted and could not be decrypted',
  encryption: 'the request could not be encrypted for CyberSource (MLE settings)',
};

export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    readonly sent: boolean,
    options: { cause?: unknown } = {},
  ) {
    super(MESSAGES[failure], options);
    this.name = 'TransportError';
  }
}

/** Error codes that mean the request never left this machine. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('code' in value)) return undefined;
  return typeof value.code === 'string' ? value.code : undefined;
}

/** True when a fetch rejection proves the request was never sent (connection refused, DNS). */
export function failedBeforeSending(err: unknown): boolean {
  let cause: unknown = err;
  for (let depth = 0; depth < 4 && cause !== undefined; depth += 1) {
    const code = codeOf(cause);
    if (code !== undefined) return NOT_SENT.has(code);
    if (cause instanceof AggregateError) return cause.errors.every((e) => failedBeforeSending(e));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return false;
}
