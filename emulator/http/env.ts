import type { HttpBindings } from '@hono/node-server';
import type { EmulatorConfig } from '../config.ts';
import type { KeySource } from '../flex/key-pool.ts';
import type { EmulatorState } from '../state.ts';

/** Hono environment of every emulator route. */
export interface EmulatorEnv {
  Bindings: Partial<HttpBindings>;
  Variables: {
    /** The authenticated merchant (set by the auth middleware on REST routes). */
    merchantId: string;
    /** Raw request body bytes as received (signatures and digests are over these). */
    rawBody: Uint8Array;
    /** `v-c-correlation-id` of this answer. */
    correlationId: string;
    /** The scripted fault this request met, for the request log. */
    fault: string;
    /** Set once the request log has this request (a held answer is logged before it waits). */
    logged: boolean;
    /** `performance.now()` when the request arrived: the injected latency counts from here. */
    arrived: number;
  };
}

/** What every endpoint group gets. */
export interface EmulatorDeps {
  state: EmulatorState;
  config: EmulatorConfig;
  /** Fresh RSA key pairs for capture contexts, Flex v1 keys and the signing key. */
  keys: KeySource;
}
