/**
 * @module Per-request values the stub's middleware sets on the Hono context.
 */
import type { Logger } from '../logger.ts';

export interface StubEnv {
  Variables: {
    requestId: string;
    log: Logger;
    shopperId: string;
  };
}
