/**
 * @module Everything a checkout flow needs, injected once by `createStub`.
 */
import type { DocumentedCardNetwork } from '../../cybersource/microform-sessions/networks.ts';
import type { Catalog } from '../config/catalog.ts';
import type { StubConfig } from '../config/env.ts';
import type { CyberSourceClient } from '../cybersource/client.ts';
import type { CardTestingDefence } from '../limits/index.ts';
import type { Logger } from '../logger.ts';
import { type Database, within } from '../store/database.ts';
import type { CaptureContextVerifier } from './capture-context.ts';
import type { OutcomeUnknownHandler } from './outcome-unknown.ts';
import type { SessionCache } from './session-cache.ts';

export interface CheckoutContext {
  config: StubConfig;
  catalog: Catalog;
  db: Database;
  client: CyberSourceClient;
  verifier: CaptureContextVerifier;
  now: () => Date;
  /** Waits between attempts (renew-due's pause after a throttled renewal). */
  sleep: (ms: number) => Promise<void>;
  logger: Logger;
  onOutcomeUnknown: OutcomeUnknownHandler;
  /** Networks offered in the capture context. */
  cardNetworks: readonly DocumentedCardNetwork[];
  /** Rate limits and decline caps (RELIABILITY-FACTS §4). */
  limits: CardTestingDefence;
  /** The sessions this process started or read, for paying without a database read. */
  sessions: SessionCache;
  /**
   * Keeps work a request started and does not wait for (a session's Flex v1 key) until it
   * settles: the stub's `close` waits for it (`http/drain.ts`).
   */
  background: (work: Promise<unknown>) => void;
}

/** Runs `fn` with a context whose database is one transaction: its writes land together or not at all. */
export function inTransaction<T>(
  ctx: CheckoutContext,
  fn: (tx: CheckoutContext) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction((q) => fn({ ...ctx, db: within(ctx.db, q) }));
}
