/**
 * Test helper: calls the emulator the way CyberSource clients do, signed with HTTP signature
 * (default) or JWT, in-process or over a real socket.
 */
import { type SigningKey, signJwtRequest, signRequest } from '../../cybersource/auth/index.ts';
import { SAMPLE_MERCHANT } from '../../emulator/config.ts';

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Raw body text, sent as-is (for tamper tests). */
  rawBody?: string;
  key?: SigningKey;
  auth?: 'http-signature' | 'jwt' | 'none';
  host?: string;
  date?: Date;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** JWT only: asks for the answer encrypted to this response-MLE key (`v-c-response-mle-kid`). */
  responseMleKid?: string;
}

export type Caller = (
  path: string,
  options?: CallOptions,
) => Promise<{ status: number; body: any; text: string; headers: Headers }>;

/** `baseUrl` is where requests go; `host` is what gets signed (default: the base URL's host). */
export function cybersourceCaller(
  fetchFn: typeof fetch,
  baseUrl = 'http://localhost:4010',
): Caller {
  return async (path, o = {}) => {
    const method = (
      o.method ?? (o.body === undefined && o.rawBody === undefined ? 'GET' : 'POST')
    ).toUpperCase();
    const text = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    const key = o.key ?? SAMPLE_MERCHANT;
    // fetch sends the URL's host; the SDK, by contrast, overrides Host with its runEnvironment.
    const host = o.host ?? new URL(baseUrl).host;
    const date = o.date ?? new Date();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...(o.headers ?? {}),
    };
    if (o.auth === 'jwt') {
      const jwt = await signJwtRequest({
        method,
        target: path,
        host,
        merchantId: key.merchantId,
        keyId: key.keyId,
        secretBase64: key.secretBase64,
        body: text ?? '',
        now: date,
        ...(o.responseMleKid === undefined ? {} : { responseMleKid: o.responseMleKid }),
      });
      headers.authorization = `Bearer ${jwt}`;
      headers.host = host;
    } else if (o.auth !== 'none') {
      const signed = signRequest({
        method,
        target: path,
        host,
        date: date.toUTCString(),
        merchantId: key.merchantId,
        keyId: key.keyId,
        secretBase64: key.secretBase64,
        body: text ?? '',
      });
      Object.assign(headers, signed);
    }
    Object.assign(headers, o.headers ?? {});
    const res = await fetchFn(baseUrl + path, {
      method,
      headers,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(text === undefined ? {} : { body: text }),
    });
    const raw = await res.text();
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      /* not JSON: keep the text (a capture-context JWT, say) */
    }
    return { status: res.status, body, text: raw, headers: res.headers };
  };
}
