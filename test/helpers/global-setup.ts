/** Vitest's global set-up: runs once before any worker starts. */
import { makeKeyBank } from './test-keys.ts';

export default async function setup(): Promise<void> {
  await makeKeyBank();
}
