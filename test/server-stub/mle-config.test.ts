/**
 * The message-level encryption settings (server-stub/config/mle.ts): CyberSource's request-MLE
 * certificate and the merchant's response key, as files or inline PEM; every problem named by
 * variable at start-up, none repeating a key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../emulator/mle/certificate.ts';
import { ConfigError, configFromEnv } from '../../server-stub/config/env.ts';
import { createLogger } from '../../server-stub/logger.ts';
import { createStub } from '../../server-stub/stub.ts';
import { openTestStore } from '../helpers/test-store.ts';
import { LogSink } from './harness.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
/** A certificate valid 2026-2029 for `keys`, with this name and subject serialNumber. */
const certificate = (
  keys: ReturnType<typeof generateKeyPairSync>,
  commonName: string,
  serialNumber: string,
) =>
  selfSignedCertificate({
    ...keys,
    commonName,
    serialNumber,
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2029-01-01T00:00:00Z'),
  });
const CERT = certificate(rsa, 'CyberSource_SJC_US', 'SJC3051627185');
const KEY = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const ENCRYPTED_KEY = rsa.privateKey
  .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open sesame' })
  .toString();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stub-mle-'));
  await writeFile(join(dir, 'cybersource-mle.crt'), CERT);
  await writeFile(join(dir, 'response.key'), KEY);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function issues(env: Record<string, string>): string[] {
  try {
    configFromEnv(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('message-level encryption settings', () => {
  it('is off unless configured', () => {
    expect(configFromEnv({}).mle).toEqual({ request: undefined, response: undefined });
  });

  it('reads the certificate and the response key from files, the key id from the subject', () => {
    const { mle } = configFromEnv({
      CYBERSOURCE_MLE_REQUEST_CERT: join(dir, 'cybersource-mle.crt'),
      CYBERSOURCE_MLE_RESPONSE_KEY: join(dir, 'response.key'),
      CYBERSOURCE_MLE_RESPONSE_KID: 'merchant-response-1',
    });
    expect(mle.request?.kid).toBe('SJC3051627185');
    expect(mle.request?.publicKey.equals(rsa.publicKey)).toBe(true);
    expect(mle.response?.kid).toBe('merchant-response-1');
    expect(mle.response?.privateKey.type).toBe('private');
  });

  it('takes inline PEM text and a password-protected key', () => {
    const { mle } = configFromEnv({
      CYBERSOURCE_MLE_REQUEST_CERT: CERT,
      CYBERSOURCE_MLE_RESPONSE_KEY: ENCRYPTED_KEY,
      CYBERSOURCE_MLE_RESPONSE_KEY_PASSWORD: 'open sesame',
      CYBERSOURCE_MLE_RESPONSE_KID: 'k',
    });
    expect(mle.request?.kid).toBe('SJC3051627185');
    expect(mle.response?.kid).toBe('k');
    // As a secret store or a .env line gives PEM: its line breaks written `\n`.
    const escaped = configFromEnv({
      CYBERSOURCE_MLE_REQUEST_CERT: CERT.replaceAll('\n', '\\n'),
      CYBERSOURCE_MLE_RESPONSE_KEY: KEY.replaceAll('\n', '\\n'),
      CYBERSOURCE_MLE_RESPONSE_KID: 'k',
    }).mle;
    expect(escaped.request?.kid).toBe('SJC3051627185');
    expect(escaped.response?.privateKey.type).toBe('private');
    // With a real line break after it ($(cat …)), or written out \r\n.
    for (const cert of [`${CERT.replaceAll('\n', '\\n')}\n`, CERT.replaceAll('\n', '\\r\\n')]) {
      expect(configFromEnv({ CYBERSOURCE_MLE_REQUEST_CERT: cert }).mle.request?.kid).toBe(
        'SJC3051627185',
      );
    }
  });

  it('names each problem without printing a key', () => {
    expect(
      issues({
        CYBERSOURCE_MLE_REQUEST_CERT: join(dir, 'missing.crt'),
        CYBERSOURCE_MLE_RESPONSE_KEY: ENCRYPTED_KEY,
        CYBERSOURCE_MLE_RESPONSE_KID: 'k',
      }),
    ).toEqual([
      expect.stringMatching(
        /^CYBERSOURCE_MLE_REQUEST_CERT: cannot read the file it names \(ENOENT\)/,
      ),
      expect.stringMatching(
        /^CYBERSOURCE_MLE_RESPONSE_KEY: .*CYBERSOURCE_MLE_RESPONSE_KEY_PASSWORD/,
      ),
    ]);
    const wrongPassword = issues({
      CYBERSOURCE_MLE_RESPONSE_KEY: ENCRYPTED_KEY,
      CYBERSOURCE_MLE_RESPONSE_KEY_PASSWORD: 'wrong',
      CYBERSOURCE_MLE_RESPONSE_KID: 'k',
    });
    expect(wrongPassword).toEqual([expect.stringContaining('password does not open it')]);
    // A key given where the certificate belongs: named, and its text never echoed.
    const body = KEY.split('\n')[1] ?? '';
    const swapped = issues({ CYBERSOURCE_MLE_REQUEST_CERT: KEY });
    expect(swapped).toEqual([expect.stringContaining('no PEM certificate in it')]);
    // Nor a key's body alone, on one line, which is no PEM and no path.
    const bare = KEY.split('\n').slice(1, -2).join('');
    const unreadable = issues({
      CYBERSOURCE_MLE_RESPONSE_KEY: bare,
      CYBERSOURCE_MLE_RESPONSE_KID: 'k',
    });
    expect(unreadable).toEqual([
      'CYBERSOURCE_MLE_RESPONSE_KEY: neither PEM text nor the path of a PEM file',
    ]);
    expect([...swapped, ...unreadable].join('\n')).not.toContain(body);
  });

  it('takes a key quoted, or after the attributes openssl pkcs12 writes before it', () => {
    for (const given of [`"${KEY}"`, `Bag Attributes\n    localKeyID: 01 00 00 00\n${KEY}`]) {
      const { mle } = configFromEnv({
        CYBERSOURCE_MLE_RESPONSE_KEY: given,
        CYBERSOURCE_MLE_RESPONSE_KID: 'k',
      });
      expect(mle.response?.privateKey.type).toBe('private');
    }
  });

  it("picks CyberSource's certificate out of a file of several, as the SDK does", () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const intermediate = certificate(other, 'Some Intermediate CA', 'INTER');
    const { mle } = configFromEnv({ CYBERSOURCE_MLE_REQUEST_CERT: intermediate + CERT });
    expect(mle.request?.kid).toBe('SJC3051627185');
    expect(mle.request?.validTo.toISOString()).toBe('2029-01-01T00:00:00.000Z');
  });

  it('refuses a key without its id, and either setting with HTTP signature', () => {
    expect(issues({ CYBERSOURCE_MLE_RESPONSE_KEY: KEY })).toEqual([
      expect.stringMatching(/^CYBERSOURCE_MLE_RESPONSE_KID: must be set with/),
    ]);
    expect(issues({ CYBERSOURCE_MLE_RESPONSE_KID: 'k' })).toEqual([
      expect.stringMatching(/^CYBERSOURCE_MLE_RESPONSE_KEY: must be set with/),
    ]);
    expect(
      issues({
        CYBERSOURCE_AUTH: 'http-signature',
        CYBERSOURCE_MLE_REQUEST_CERT: CERT,
        CYBERSOURCE_MLE_RESPONSE_KEY: KEY,
      }),
    ).toEqual([
      'CYBERSOURCE_MLE_REQUEST_CERT: needs CYBERSOURCE_AUTH=jwt (CyberSource carries MLE with JWT only)',
      'CYBERSOURCE_MLE_RESPONSE_KEY: needs CYBERSOURCE_AUTH=jwt (CyberSource carries MLE with JWT only)',
    ]);
    // Each one, even a key id alone; and beside other problems, not after them.
    expect(
      issues({
        CYBERSOURCE_AUTH: 'http-signature',
        CYBERSOURCE_MLE_RESPONSE_KID: 'k',
        PORT: 'abc',
      }),
    ).toEqual([
      'PORT: must be a port number',
      'CYBERSOURCE_MLE_RESPONSE_KID: needs CYBERSOURCE_AUTH=jwt (CyberSource carries MLE with JWT only)',
    ]);
  });

  it('refuses a certificate CyberSource could not name, and a small key', () => {
    const unnamed = certificate(rsa, 'CyberSource_SJC_US', '');
    expect(issues({ CYBERSOURCE_MLE_REQUEST_CERT: unnamed })).toEqual([
      expect.stringContaining('subject has no serialNumber'),
    ]);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const smallKey = small.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(
      issues({ CYBERSOURCE_MLE_RESPONSE_KEY: smallKey, CYBERSOURCE_MLE_RESPONSE_KID: 'k' }),
    ).toEqual(['CYBERSOURCE_MLE_RESPONSE_KEY: must be an RSA key of at least 2048 bits']);
    // An EC key, in its own PEM label: named for what it is, not for a missing password.
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecKey = ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    expect(
      issues({ CYBERSOURCE_MLE_RESPONSE_KEY: ecKey, CYBERSOURCE_MLE_RESPONSE_KID: 'k' }),
    ).toEqual(['CYBERSOURCE_MLE_RESPONSE_KEY: must be an RSA key']);
  });

  it('warns at start of a certificate past its end or within 30 days of it, as the SDK does', async () => {
    const warning = async (now: string) => {
      const logs = new LogSink();
      const db = await openTestStore();
      const stub = await createStub({
        db,
        env: { DATA_DIR: dir, CYBERSOURCE_MLE_REQUEST_CERT: CERT },
        now: () => new Date(now),
        logger: createLogger({ level: 'warn', destination: logs }),
      });
      await stub.close();
      await db.close();
      return /CYBERSOURCE_MLE_REQUEST_CERT (has expired|expires soon)/.exec(logs.text)?.[1];
    };
    expect(await warning('2027-06-01T00:00:00Z')).toBeUndefined();
    expect(await warning('2028-12-15T00:00:00Z')).toBe('expires soon');
    expect(await warning('2029-02-01T00:00:00Z')).toBe('has expired');
  });
});
