import type { HttpBindings } from '@hono/node-server';
import type { MleRecipient } from '../../cybersource/mle/index.ts';
import type { EmulatorConfig } from '../config.ts';
import type { MleNote } from '../control/request-log.ts';
import type { KeySource } from '../flex/key-pool.ts';
import type { EmulatorState } from '../state.ts';

/** Hono environment of every emulator route. */
export interface EmulatorEnv {
  Bindings: Partial<HttpBindings>;
  Variables: {
    /** The authenticated merchant (set by the auth middleware on REST routes). */
    merchantId: string;
    /** How the request authenticated (set with `merchantId`): MLE is only ever under JWT. */
    authScheme: 'jwt' | 'http-signature';
    /** The verified JWT's `v-c-response-mle-kid`: the merchant asked for an encrypted answer. */
    responseMleKid: string;
    /** The registered key that answer is encrypted to (set once the kid is found). */
    responseMle: MleRecipient;
    /** What message-level encryption did on this request, for the request log. */
    mle: MleNote;
    /**
     * Raw request body bytes as received (signatures and digests are over these); after an
     * encrypted request is decrypted, its plaintext, which is what every handler reads.
     */
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
