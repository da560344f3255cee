/**
 * @module All emulator state, in memory, one instance per emulator.
 *
 * Node runs handlers on one thread, so a check-then-write without an `await` in between is
 * atomic: money rules keep their reads and writes in one synchronous stretch.
 */
import { JtiReplayGuard } from '../cybersource/auth/index.ts';
import { FaultTable } from './control/faults.ts';
import { RequestLog } from './control/request-log.ts';
import { FlexStore } from './flex/store.ts';
import { MleStore } from './mle/store.ts';
import { PaymentsStore } from './payments/store.ts';
import { TmsStore } from './tms/store.ts';

export class EmulatorState {
  readonly #clock: () => Date;
  /** Added to the injected clock; the control API moves time forward for expiry tests. */
  clockOffsetMs = 0;
  latencyMs = 0;
  readonly faults = new FaultTable();
  readonly requests = new RequestLog();
  readonly jti = new JtiReplayGuard();
  readonly payments = new PaymentsStore();
  readonly tms = new TmsStore();
  readonly flex = new FlexStore();
  /** Message-level encryption keys: Business Center settings, kept by `reset` (mle/store.ts). */
  readonly mle = new MleStore();
  readonly authFailures: string[] = [];
  #resetWaiters: (() => void)[] = [];

  /** Runs at start and after every reset: the tokens a sandbox account already holds. */
  readonly #seed: ((state: EmulatorState) => void) | undefined;

  constructor(clock: () => Date = () => new Date(), seed?: (state: EmulatorState) => void) {
    this.#clock = clock;
    this.#seed = seed;
    seed?.(this);
  }

  now(): Date {
    return new Date(this.#clock().getTime() + this.clockOffsetMs);
  }

  /** `YYYY-MM-DDThh:mm:ssZ`, CyberSource's `submitTimeUtc` format. */
  submitTimeUtc(): string {
    return `${this.now().toISOString().slice(0, 19)}Z`;
  }

  noteAuthFailure(failure: string): void {
    this.authFailures.push(failure);
    if (this.authFailures.length > 1000) this.authFailures.shift();
  }

  /** Resolves at the next reset or shutdown; held answers (timeout faults) wait on it. */
  untilReset(): Promise<void> {
    return new Promise((resolve) => this.#resetWaiters.push(resolve));
  }

  releaseHeld(): void {
    const waiters = this.#resetWaiters;
    this.#resetWaiters = [];
    for (const w of waiters) w();
  }

  reset(): void {
    this.clockOffsetMs = 0;
    this.latencyMs = 0;
    this.faults.clear();
    this.requests.clear();
    this.jti.clear();
    this.payments.reset();
    this.tms.reset();
    this.flex.reset();
    this.authFailures.length = 0;
    this.releaseHeld();
    this.#seed?.(this);
  }
}
