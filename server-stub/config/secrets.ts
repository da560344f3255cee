/**
 * @module Server-side secrets the stub makes for itself when not configured: the cookie-signing
 * key (persisted in DATA_DIR so shopper cookies survive a restart) and the admin token
 * (generated per start and printed once by `main.ts`).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from './env.ts';

const COOKIE_SECRET_FILE = 'cookie-secret';

/** Reads `<dataDir>/cookie-secret`, creating it (mode 0600) with 32 random bytes if absent. */
export async function persistedCookieSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, COOKIE_SECRET_FILE);
  try {
    const text = (await readFile(file, 'utf8')).trim();
    if (text.length >= 32) return text;
  } catch {
    // absent: create below
  }
  const secret = randomBytes(32).toString('base64url');
  try {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
  } catch (err) {
    // A file where the folder should be, or no permission: the operator's to fix, said in one line.
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError([`DATA_DIR: cannot keep the cookie secret in ${dataDir} (${code})`]);
  }
  return secret;
}

export function generateAdminToken(): string {
  return randomBytes(24).toString('base64url');
}
