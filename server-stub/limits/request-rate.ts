/**
 * @module Request-rate limits in memory: a sliding-window log per key (RELIABILITY-FACTS §4,
 * ASVS 11.1.4 anti-automation). Per process: N stub processes behind a load balancer allow up
 * to N times the configured rate. That is acceptable for request rates because the money
 * control, the decline caps, is in the database (`decline-guard.ts`).
 */
import type { Rule } from './rules.ts';

export interface Check {
  key: string;
  rule: Rule;
}

/** Keys kept before idle ones are swept, so a spray of addresses cannot exhaust memory. */
const MAX_KEYS = 100_000;

/**
 * What a sweep leaves of `maxKeys`: the next sweep is then a tenth of `maxKeys` new keys away.
 * A sweep that freed one key ran again on the next new key, every request of a spray at the cap
 * scanning all 100 000 keys (9 ms each, where a saved-card read takes 0.6 ms).
 */
const AFTER_SWEEP = 0.9;

export class SlidingWindowLog {
  private readonly hits = new Map<string, number[]>();

  /** `longestWindowMs`: the longest window of any rule used with this log (for sweeping). */
  constructor(
    private readonly longestWindowMs: number,
    private readonly maxKeys = MAX_KEYS,
  ) {}

  /**
   * Admits one event under every check, or none: returns 0 and records the event under every
   * key, or returns the seconds until the strictest tripped check admits again (≥ 1) and
   * records nothing, so a refused request does not push its own window further.
   */
  take(checks: readonly Check[], nowMs: number): { waitSeconds: number; tripped?: string } {
    let waitMs = 0;
    let tripped: string | undefined;
    for (const { key, rule } of checks) {
      const log = this.live(key, rule.windowMs, nowMs);
      if (log.length < rule.max) continue;
      // The window admits again when its oldest counted event leaves it.
      const wait = (log[log.length - rule.max] ?? nowMs) + rule.windowMs - nowMs;
      if (wait > waitMs) {
        waitMs = wait;
        tripped = key;
      }
    }
    if (tripped !== undefined)
      return { waitSeconds: Math.max(1, Math.ceil(waitMs / 1000)), tripped };
    for (const { key } of checks) {
      const log = this.hits.get(key) ?? [];
      log.push(nowMs);
      // Moved to the end: the map runs from the key counted least recently to the one counted
      // last, so a sweep meets the idle keys first and never drops a key still counting before
      // a spray's one-off addresses.
      this.hits.delete(key);
      this.hits.set(key, log);
    }
    if (this.hits.size > this.maxKeys) this.sweep(nowMs);
    return { waitSeconds: 0 };
  }

  /** Number of keys held (tests). */
  get size(): number {
    return this.hits.size;
  }

  private live(key: string, windowMs: number, nowMs: number): number[] {
    const log = this.hits.get(key);
    if (!log) return [];
    const from = log.findIndex((t) => t > nowMs - windowMs);
    if (from === -1) {
      this.hits.delete(key);
      return [];
    }
    if (from > 0) log.splice(0, from);
    return log;
  }

  /**
   * Drops the keys counted least recently: those idle for the longest window in use, and more
   * while over `AFTER_SWEEP` of `maxKeys` (a dropped key's count starts again). It stops at the
   * first key it keeps, so it costs what it drops, not the whole map.
   */
  private sweep(nowMs: number): void {
    const keep = Math.floor(this.maxKeys * AFTER_SWEEP);
    for (const [key, log] of this.hits) {
      const idle = (log[log.length - 1] ?? 0) <= nowMs - this.longestWindowMs;
      if (!idle && this.hits.size <= keep) break;
      this.hits.delete(key);
    }
  }
}
