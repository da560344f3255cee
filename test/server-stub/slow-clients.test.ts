/**
 * A client that trickles its request body is let go (`http/slow-clients.ts`), instead of holding
 * a connection for Node's default 300 s. Bounds shortened here so the test takes a second.
 */
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { expect, it, vi } from 'vitest';
import { boundSlowClients } from '../../server-stub/http/slow-clients.ts';

it('answers 408 and closes a connection whose body has not all arrived in time', async () => {
  const app = new Hono().post('/', async (c) => c.text(await c.req.text()));
  const server = await new Promise<Server>((resolve) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: 0,
        hostname: '127.0.0.1',
        // How often Node looks for overdue requests: 30 s by default, a tenth of a second here.
        serverOptions: { connectionsCheckingInterval: 100 },
      },
      () => resolve(s as Server),
    );
  });
  boundSlowClients(server, { requestMs: 500, headersMs: 400 });
  // @hono/node-server prints the handler's aborted body read: expected here.
  const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const { port } = server.address() as { port: number };
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        // One byte of a promised 1,000, and then nothing: a slowloris body.
        socket.write('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\nx');
      });
      let got = '';
      socket.on('data', (c) => (got += c));
      socket.on('close', () => resolve(got));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    server.close();
    quiet.mockRestore();
  }
});

it("bounds by default a whole request to 30 s and its headers to 10 s, not Node's 300 s and 60 s", () => {
  const server = { requestTimeout: 300_000, headersTimeout: 60_000 };
  boundSlowClients(server);
  expect(server).toEqual({ requestTimeout: 30_000, headersTimeout: 10_000 });
});
