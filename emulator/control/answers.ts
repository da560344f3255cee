/**
 * @module The control API's answers and its body reader, one shape for every route: errors are
 * `{"error":{"code","message","details"?}}`, a bad body is 400 `invalid_request` with zod's
 * issues as `details`, so a test names the field the same way whichever route it called.
 */
import type { z } from 'zod';

export const controlFailure = (code: string, message: string, details?: unknown) => ({
  error: { code, message, ...(details === undefined ? {} : { details }) },
});

export type BodyRead<T> =
  | { ok: true; value: T }
  | { ok: false; error: ReturnType<typeof controlFailure> };

/** The JSON body parsed with `schema`, or the 400 answer to give. */
export async function readControlBody<T>(
  c: { req: { json: () => Promise<unknown> } },
  schema: z.ZodType<T>,
): Promise<BodyRead<T>> {
  let value: unknown;
  try {
    value = await c.req.json();
  } catch {
    return { ok: false, error: controlFailure('invalid_request', 'Body must be JSON.') };
  }
  const r = schema.safeParse(value);
  return r.success
    ? { ok: true, value: r.data }
    : { ok: false, error: controlFailure('invalid_request', 'Invalid body.', r.error.issues) };
}
