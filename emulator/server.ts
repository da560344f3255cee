/**
 * @module Serving an emulator on a real socket (keep-alive, loopback by default).
 */
import { type ServerType, serve } from '@hono/node-server';
import { createEmulator, type Emulator, type EmulatorOptions } from './app.ts';

export interface RunningEmulator extends Emulator {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  close(): Promise<void>;
}

export function startEmulator(
  options: EmulatorOptions & { port?: number; hostname?: string } = {},
): Promise<RunningEmulator> {
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    let emulator: Emulator | undefined;
    const server: ServerType = serve(
      {
        fetch: (req, env) => emulator?.app.fetch(req, env) ?? new Response(null, { status: 503 }),
        port: options.port ?? 0,
        hostname,
      },
      (info) => {
        const url = `http://${hostname}:${info.port}`;
        emulator = createEmulator({
          ...options,
          config: { publicUrl: `http://localhost:${info.port}`, ...options.config },
        });
        const running = emulator;
        resolve({
          ...running,
          url,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              running.state.releaseHeld();
              server.close(() => done());
              if ('closeAllConnections' in server) server.closeAllConnections();
            }),
        });
      },
    );
    // A port in use is an answer to give, not an unhandled 'error' event that kills the process.
    server.once('error', reject);
  });
}
