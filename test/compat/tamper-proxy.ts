/**
 * A loopback HTTP proxy that forwards to the emulator and can tamper with request bodies on
 * the way, to prove that a signed request altered in transit is refused. It keeps the last
 * request as the client sent it, so a test can read how the SDK signed it, and the last answer
 * as it went back (what a client decrypts under message-level encryption).
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyDigest } from '../../cybersource/auth/index.ts';

export type Tamper = 'none' | 'body' | 'body-and-digest';

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SeenAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface TamperProxy {
  url: string;
  mode: Tamper;
  /** The last request received, before any tampering. */
  last: SeenRequest | undefined;
  /** The answer to it, complete before the client has it (unset until then). */
  lastAnswer: SeenAnswer | undefined;
  close(): Promise<void>;
}

/** Changes one character of the JSON body (keeps it valid JSON, changes the meaning). */
function tamper(body: Buffer): Buffer {
  const text = body
    .toString('utf8')
    .replace(/"(\d)/, (_m, d: string) => `"${(Number(d) + 1) % 10}`);
  return Buffer.from(text, 'utf8');
}

/** Runs `fn` with the proxy tampering as `mode`, then stops tampering whatever happened. */
export async function tampering<T>(
  proxy: TamperProxy,
  mode: Tamper,
  fn: () => Promise<T>,
): Promise<T> {
  proxy.mode = mode;
  try {
    return await fn();
  } finally {
    proxy.mode = 'none';
  }
}

export async function startTamperProxy(target: string): Promise<TamperProxy> {
  const to = new URL(target);
  const proxy: TamperProxy = {
    url: '',
    mode: 'none',
    last: undefined,
    lastAnswer: undefined,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Buffer = Buffer.concat(chunks);
      const headers = { ...req.headers };
      proxy.last = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      proxy.lastAnswer = undefined;
      if (proxy.mode !== 'none' && body.length > 0) {
        body = tamper(body);
        headers['content-length'] = String(body.length);
        if (proxy.mode === 'body-and-digest') headers.digest = bodyDigest(body);
      }
      const upstream = httpRequest(
        { hostname: to.hostname, port: to.port, path: req.url, method: req.method, headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          const chunks: Buffer[] = [];
          answer.on('data', (c: Buffer) => chunks.push(c));
          // Added before `pipe`, so it runs before the client's copy ends.
          answer.on('end', () => {
            proxy.lastAnswer = {
              status: answer.statusCode ?? 0,
              headers: answer.headers,
              body: Buffer.concat(chunks),
            };
          });
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise((r) => server.close(() => r()));
  return proxy;
}
