/**
 * @module The emulated Microform library as served at the capture context's `clientLibrary`.
 *
 * Capture contexts carry this path and the SRI hash of exactly these bytes
 * (`clientLibraryIntegrity`, API-FACTS §5.2–5.3; RELIABILITY-FACTS §3.2).
 */
import { createHash } from 'node:crypto';
import { bundle } from './bundle.ts';

/** Same shape as the real versioned URL (API-FACTS §5.3). */
export const MICROFORM_LIBRARY_PATH = '/microform/bundle/v2.0.2/flex-microform.min.js';

export interface MicroformLibrary {
  body: string;
  /** `sha256-<base64>` of `body`. */
  integrity: string;
}

let cached: Promise<MicroformLibrary> | undefined;

/** The library source and its SRI hash, built once per process. */
export function microformLibrary(): Promise<MicroformLibrary> {
  if (!cached) {
    const pending = bundle('library').then(withIntegrity);
    pending.catch(() => {
      cached = undefined;
    });
    cached = pending;
  }
  return cached;
}

export function withIntegrity(body: string): MicroformLibrary {
  return { body, integrity: `sha256-${createHash('sha256').update(body).digest('base64')}` };
}
