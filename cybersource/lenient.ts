/**
 * @module Reading an answer for the fields we use, leniently: a field of an unexpected shape is
 * dropped, not fatal. CyberSource's own models mark most answer fields optional and its spec
 * and SDK disagree on some types (API-FACTS §3.3), so one odd field must not fail a whole read.
 */
import type { z } from 'zod';

/** The value when it has the expected shape, else `undefined`: an odd field loses only itself. */
export const soft = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
