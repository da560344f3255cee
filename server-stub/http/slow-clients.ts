/**
 * @module A client that trickles its request is let go. Node's defaults hold one for 300 s
 * (`requestTimeout`) and its headers for 60 s (`headersTimeout`), so a few hundred slow
 * connections (slowloris) would hold the stub open without a buffering proxy in front. No
 * shopper's request takes seconds to send: a body is at most 16 KB (`http/body.ts`). Bounds only
 * receiving the request; the answer (a payment waits up to 30 s for CyberSource) is not.
 */
import type { Server } from 'node:http';

export function boundSlowClients(
  server: Pick<Server, 'requestTimeout' | 'headersTimeout'>,
  { requestMs = 30_000, headersMs = 10_000 } = {},
): void {
  server.requestTimeout = requestMs;
  server.headersTimeout = headersMs;
}
