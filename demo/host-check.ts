/**
 * @module The demo answers only requests addressed to this machine by name, or to its public
 * URL's host. On the emulator its page carries the admin token; it listens on 127.0.0.1 only,
 * but a page on another site whose name is re-pointed at 127.0.0.1 (DNS rebinding) is
 * same-origin with it in the shopper's browser: it could read the token, then refund, renew or
 * cancel. Such a request names that site in `Host`, and is answered 421 (RFC 9110 §15.5.20)
 * before any route runs.
 *
 * `Host` tells a browser's own request from a rebound one, not the operator from the public:
 * a reverse proxy may forward every visitor's request as `Host: 127.0.0.1:3000` (nginx's
 * default `proxy_set_header Host $proxy_host`). Hence against CyberSource the page holds no
 * token at all (serve.ts).
 */
import { isLoopbackHost } from '../cybersource/loopback.ts';

type Handler<A extends unknown[]> = (req: Request, ...rest: A) => Response | Promise<Response>;

export function hostChecked<A extends unknown[]>(publicOrigin: string, handle: Handler<A>) {
  const own = new URL(publicOrigin).host;
  return (req: Request, ...rest: A): Response | Promise<Response> => {
    const host = req.headers.get('host') ?? '';
    let name = '';
    try {
      name = new URL(`http://${host}`).hostname;
    } catch {}
    return host === own || isLoopbackHost(name)
      ? handle(req, ...rest)
      : new Response('This demo answers only requests addressed to localhost.', {
          status: 421,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        });
  };
}
