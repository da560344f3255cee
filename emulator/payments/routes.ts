import { Hono } from 'hono';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';

export function paymentsRoutes(_deps: EmulatorDeps): Hono<EmulatorEnv> {
  return new Hono<EmulatorEnv>();
}
