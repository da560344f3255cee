/**
 * @module Small type guards for values that cross a trust boundary (stub responses, capture
 * contexts, Microform payloads). Hand-written instead of zod to keep the bundle within its
 * 12 KB budget (DESIGN.md "parse, never cast"; STYLE-ANCHORS §5 `utils/guards.ts`).
 */

export type Rec = Record<string, unknown>;

export const isRec = (v: unknown): v is Rec => !!v && typeof v === 'object' && !Array.isArray(v);

/** A non-empty string, or undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** A safe non-negative integer (amounts in minor units), or undefined. */
export const uint = (v: unknown): number | undefined =>
  Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : undefined;

export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The record at `key`, or an empty record, so nested reads never throw. */
export const rec = (v: unknown, key: string): Rec => {
  const inner = isRec(v) && v[key];
  return isRec(inner) ? inner : {};
};
