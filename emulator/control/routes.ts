/**
 * @module Control API for tests (DESIGN.md "Emulator"): JSON, outside CyberSource auth, loopback only.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { isLoopbackHost } from '../../cybersource/loopback.ts';
import { keyPoolStatus } from '../flex/key-pool.ts';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { readControlBody } from './answers.ts';
import { FaultSpec } from './faults.ts';
import { mleControlRoutes } from './mle.ts';
import { reviewControlRoutes } from './reviews.ts';
import { transientTokenControlRoutes } from './transient-tokens.ts';

const Latency = z.strictObject({ ms: z.number().int().min(0).max(60_000) });
const Clock = z.strictObject({
  offsetMs: z
    .number()
    .int()
    .min(0)
    .max(400 * 24 * 3600 * 1000),
});

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return true; // in-process request: no socket at all
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export function controlRoutes(deps: EmulatorDeps): Hono<EmulatorEnv> {
  const { state } = deps;
  const app = new Hono<EmulatorEnv>();

  app.use('*', async (c, next) => {
    // A page whose name was re-pointed at 127.0.0.1 (DNS rebinding) reaches this from the
    // shopper's own machine, but names its own host: refused like a remote client.
    if (
      !isLoopback(c.env?.incoming?.socket?.remoteAddress) ||
      !isLoopbackHost(new URL(c.req.url).hostname)
    ) {
      return c.json(
        {
          error: {
            code: 'forbidden',
            message: 'The control API answers loopback clients only, addressed as localhost.',
          },
        },
        403,
      );
    }
    // A page of another origin on the same machine (another localhost port, or any site in a
    // browser without Local Network Access) can send a "simple" POST here: no preflight, since
    // the bodies are read as JSON whatever their Content-Type. Browsers name the sender in
    // `Origin` on every cross-origin POST and in `Sec-Fetch-Site` (Fetch Metadata) on every
    // request; test code and scripts send neither. Without this, a link could reset the sandbox
    // under a running demo or arm a fault that fails every sale.
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    if (
      (origin !== undefined && origin !== new URL(c.req.url).origin) ||
      site === 'cross-site' ||
      site === 'same-site'
    ) {
      return c.json(
        {
          error: {
            code: 'forbidden',
            message: 'The control API answers its own origin only, not pages of other sites.',
          },
        },
        403,
      );
    }
    await next();
    return undefined;
  });

  app.post('/reset', (c) => {
    state.reset();
    return c.body(null, 204);
  });

  app.put('/latency', async (c) => {
    const b = await readControlBody(c, Latency);
    if (!b.ok) return c.json(b.error, 400);
    state.latencyMs = b.value.ms;
    return c.body(null, 204);
  });

  app.put('/clock', async (c) => {
    const b = await readControlBody(c, Clock);
    if (!b.ok) return c.json(b.error, 400);
    state.clockOffsetMs = b.value.offsetMs;
    return c.body(null, 204);
  });

  app.post('/faults', async (c) => {
    const b = await readControlBody(c, FaultSpec);
    if (!b.ok) return c.json(b.error, 400);
    state.faults.add(b.value);
    return c.json(b.value, 201);
  });

  app.get('/requests', (c) => c.json({ requests: state.requests.list() }));

  // Benchmarks wait for the pool so they measure our stack, not the emulator's key generation.
  app.get('/key-pool', (c) => c.json(keyPoolStatus()));
  app.route('/', transientTokenControlRoutes(deps));
  app.route('/', reviewControlRoutes(deps));
  app.route('/', mleControlRoutes(deps));

  return app;
}
