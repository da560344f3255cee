/**
 * @module Scripted faults and latency for tests (DESIGN.md, control API).
 *
 * A fault matches a method and a path prefix and fires `times` times. What each one means:
 * - `timeout`: the request is processed, the answer never comes (the client must give up);
 * - `reset`:   the request is processed, then the connection is dropped;
 * - `502`:     answered 502 SERVER_ERROR without processing, unless `processed: true`;
 * - `slow`:    processed and answered after 10 s.
 * `processed: false` makes timeout, reset and 502 hit before anything happens (a slow answer
 * is always processed). Faults fire only on authenticated requests.
 * "Processed" is the hard case a payment client must survive: the money moved, the client
 * does not know (RELIABILITY-FACTS §3.6), so it is the default for timeout, reset and slow.
 */
import { z } from 'zod';

export const FaultKind = z.enum(['timeout', '502', 'reset', 'slow']);
export type FaultKind = z.infer<typeof FaultKind>;

export const FaultSpec = z
  .strictObject({
    method: z.string().transform((m) => m.toUpperCase()),
    path: z.string().startsWith('/'),
    fault: FaultKind,
    times: z.number().int().min(1).max(10_000).default(1),
    processed: z.boolean().optional(),
  })
  .refine((f) => !(f.fault === 'slow' && f.processed === false), {
    message: 'a slow answer is always processed',
    path: ['processed'],
  });
export type FaultSpec = z.infer<typeof FaultSpec>;

export interface ArmedFault {
  kind: FaultKind;
  processed: boolean;
}

export const SLOW_MS = 10_000;

export class FaultTable {
  #faults: (FaultSpec & { left: number })[] = [];

  add(spec: FaultSpec): void {
    this.#faults.push({ ...spec, left: spec.times });
  }

  /** Takes one firing of the first fault matching this request, if any. */
  take(method: string, path: string): ArmedFault | undefined {
    const f = this.#faults.find(
      (x) => x.left > 0 && x.method === method && path.startsWith(x.path),
    );
    if (!f) return undefined;
    f.left -= 1;
    this.#faults = this.#faults.filter((x) => x.left > 0);
    return { kind: f.fault, processed: f.processed ?? f.fault !== '502' };
  }

  clear(): void {
    this.#faults = [];
  }
}
