/**
 * @module A `fetch` that calls the emulator app directly, for fast tests with no socket.
 *
 * Behaves like the network where the difference matters: a `reset` fault becomes the same
 * TypeError a dropped connection gives `fetch`, and an aborted signal rejects with AbortError.
 */
import type { Emulator } from './app.ts';
import { RESET_HEADER } from './control/middleware.ts';

export function inProcessFetch(
  emulator: Pick<Emulator, 'app'>,
  host = 'apitest.cybersource.com',
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const signal = init?.signal ?? request.signal;
    if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
    // A browser-style fetch may not set Host; the real network would send the URL's host.
    const headers = new Headers(request.headers);
    if (!headers.has('host')) headers.set('host', new URL(request.url).host || host);
    const answer = emulator.app.fetch(new Request(request, { headers }));
    const response = await (signal
      ? Promise.race([
          answer,
          new Promise<never>((_, reject) =>
            signal.addEventListener(
              'abort',
              () => reject(signal.reason ?? new DOMException('Aborted', 'AbortError')),
              { once: true },
            ),
          ),
        ])
      : answer);
    if (response.headers.get(RESET_HEADER)) {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      });
    }
    return response;
  };
}
