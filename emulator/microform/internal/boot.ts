/**
 * @module Reading what the library put in this iframe's URL fragment.
 *
 * The fragment never reaches a server. Its content is untrusted (anyone can frame this page
 * with any fragment), so it is only parsed here; the origin check and the capture context's
 * signature decide whether the field runs.
 */
import { type FieldBoot, parseFieldBoot } from '../shared/messages.ts';

export function readBoot(hash: string): FieldBoot | undefined {
  try {
    return parseFieldBoot(JSON.parse(decodeURIComponent(hash.replace(/^#/, ''))));
  } catch {
    return undefined;
  }
}
