/**
 * @module `npm run server`: the stub alone on PORT (default 3000) of LISTEN_ADDRESS (default every
 * interface), configured from the
 * environment. With no environment it talks to the emulator at http://localhost:4010 with
 * CyberSource's sample sandbox credentials.
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { ConfigError } from './config/env.ts';
import { boundSlowClients } from './http/slow-clients.ts';
import { stopOnSignal } from './shutdown.ts';
import { DataDirLocked } from './store/index.ts';
import { createStub } from './stub.ts';

async function main(): Promise<void> {
  const stub = await createStub({
    requireSharedCookieSecret: true,
    requireAdminToken: true,
    requireDurableStore: true,
  });
  if (stub.adminTokenGenerated) {
    // Only against this machine (the emulator): against CyberSource the start refuses without
    // one. Printed once, on the terminal only, never to the structured log.
    process.stderr.write(
      `ADMIN_TOKEN not set; merchant endpoints use this token until restart: ${stub.adminToken}\n`,
    );
  }
  const { port, host } = stub.config;
  const listen = { fetch: stub.app.fetch, port, ...(host ? { hostname: host } : {}) };
  const server = serve(listen, (info) => {
    stub.checkout.logger.info(
      { address: info.address, port: info.port, publicOrigin: stub.config.publicOrigin },
      'stub listening',
    );
  });
  boundSlowClients(server as Server);
  // The port taken (another stub, the demo) or not ours to take: one line, and the database
  // closed (its data-folder lock released) before the exit, not an unhandled 'error' event.
  server.once('error', (err: NodeJS.ErrnoException) => {
    const why =
      err.code === 'EADDRINUSE'
        ? `port ${stub.config.port} is in use: is another stub or the demo running? Stop it, or set PORT.`
        : `cannot listen on ${host ? `LISTEN_ADDRESS ${host}` : 'every interface'}, port ${stub.config.port}: ${err.message}`;
    console.error(`server stub failed to start: ${why}`);
    void stub.close().finally(() => process.exit(1));
  });
  const stop = stopOnSignal({
    server: server as Server,
    stub,
    delayMs: stub.config.shutdownDelayMs,
    timeoutMs: stub.config.shutdownTimeoutMs,
    logger: stub.checkout.logger,
    exit: (code) => process.exit(code),
  });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLocked) console.error(err.message);
  else console.error('server stub failed to start', err);
  process.exit(1);
});
