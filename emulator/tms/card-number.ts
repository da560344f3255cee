/**
 * @module The check every raw card number entering TMS passes: 12–19 digits by schema, then
 * Luhn (the shared network rules). TMS's own rule is not published; refusing a non-Luhn number
 * is the stricter choice (emulator/tms/README.md).
 */
import type { Context } from 'hono';
import { luhnValid } from '../../cybersource/networks/index.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { MESSAGES, oneError } from './errors.ts';

/** `undefined` when fine, else the 400 naming the field at `location`. */
export function checkCardNumber(
  c: Context<EmulatorEnv>,
  number: string,
  location: string,
): Response | undefined {
  if (luhnValid(number)) return undefined;
  return oneError(c, 400, 'invalidFields', MESSAGES.invalidFields, [{ name: 'number', location }]);
}
