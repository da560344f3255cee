/**
 * @module Message-level encryption settings (cybersource/mle): CyberSource's request-MLE
 * certificate, and the merchant's own response-MLE key, each given as a file path or as the PEM
 * text itself (a secret store often hands over contents, not files).
 *
 * Request MLE is on once the certificate is set: every payments and Token Management call with
 * a body is encrypted to it. Response MLE is on once the key and its id are set: every call asks
 * CyberSource to encrypt its answer to that key. Both ride on JWT only (the REST guide: "MLE is
 * supported when using JSON web tokens"), so either one with HTTP signature stops the start.
 * No message here repeats a file's contents.
 */
import {
  createPrivateKey,
  type KeyObject,
  type PrivateKeyInput,
  X509Certificate,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type MleRecipient, subjectSerialNumber } from '../../cybersource/mle/index.ts';

export interface MleConfig {
  /** CyberSource's request-MLE key: its certificate's public key and serialNumber. */
  request: MleRecipient | undefined;
  /** The merchant's response-MLE key, and the id CyberSource knows it by. */
  response: { privateKey: KeyObject; kid: string } | undefined;
}

export const NO_MLE: MleConfig = { request: undefined, response: undefined };

type Env = Record<string, string | undefined>;

/** A PEM given inline, or read from the path given; `undefined` with an issue when unreadable. */
function pemOf(name: string, value: string, issues: string[]): string | undefined {
  // Inline PEM; a secret store or a .env file often writes its line breaks as the two
  // characters `\n`, which no PEM reader takes.
  if (value.trimStart().startsWith('-----BEGIN'))
    return value.includes('\n') ? value : value.replace(/\\n/g, '\n');
  try {
    return readFileSync(value, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    issues.push(`${name}: cannot read ${value} (${code}); give a PEM file's path or its contents`);
    return undefined;
  }
}

/** An RSA key of at least 2048 bits: what RSA-OAEP-256 in MLE takes (the REST guide). */
function rsaIssue(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType !== 'rsa') return 'must be an RSA key';
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  return bits < 2048 ? 'must be an RSA key of at least 2048 bits' : undefined;
}

function requestRecipient(value: string, issues: string[]): MleRecipient | undefined {
  const name = 'CYBERSOURCE_MLE_REQUEST_CERT';
  const pem = pemOf(name, value, issues);
  if (pem === undefined) return undefined;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    issues.push(
      `${name}: not a PEM certificate (download CyberSource's MLE certificate, .pem/.crt)`,
    );
    return undefined;
  }
  const kid = subjectSerialNumber(cert);
  const problem = rsaIssue(cert.publicKey);
  if (problem) issues.push(`${name}: the certificate's key ${problem}`);
  else if (!kid) {
    // CyberSource names the key by it (the SDK's getSerialNumberFromCert): without it the
    // request cannot say which key encrypted it.
    issues.push(
      `${name}: the certificate's subject has no serialNumber; is it CyberSource's MLE certificate?`,
    );
  }
  return problem || !kid ? undefined : { publicKey: cert.publicKey, kid };
}

function responseKey(
  value: string,
  passphrase: string | undefined,
  issues: string[],
): KeyObject | undefined {
  const name = 'CYBERSOURCE_MLE_RESPONSE_KEY';
  const pem = pemOf(name, value, issues);
  if (pem === undefined) return undefined;
  let key: KeyObject;
  try {
    const input: PrivateKeyInput = { key: pem, format: 'pem' };
    key = createPrivateKey(passphrase === undefined ? input : { ...input, passphrase });
  } catch {
    issues.push(
      `${name}: not a PEM private key${passphrase === undefined ? ' (an encrypted one needs CYBERSOURCE_MLE_RESPONSE_KEY_PASSWORD)' : ', or the password does not open it'}`,
    );
    return undefined;
  }
  const problem = rsaIssue(key);
  if (problem) issues.push(`${name}: ${problem}`);
  return problem ? undefined : key;
}

/** Reads the MLE variables (empty ones already dropped); problems go to `issues` by name. */
export function mleFromEnv(env: Env, auth: 'http-signature' | 'jwt', issues: string[]): MleConfig {
  const cert = env.CYBERSOURCE_MLE_REQUEST_CERT;
  const key = env.CYBERSOURCE_MLE_RESPONSE_KEY;
  const kid = env.CYBERSOURCE_MLE_RESPONSE_KID;
  if (auth !== 'jwt') {
    for (const name of ['CYBERSOURCE_MLE_REQUEST_CERT', 'CYBERSOURCE_MLE_RESPONSE_KEY'] as const) {
      if (env[name] !== undefined) {
        issues.push(`${name}: needs CYBERSOURCE_AUTH=jwt (CyberSource carries MLE with JWT only)`);
      }
    }
    return NO_MLE;
  }
  if ((key === undefined) !== (kid === undefined)) {
    issues.push(
      key === undefined
        ? 'CYBERSOURCE_MLE_RESPONSE_KEY: must be set with CYBERSOURCE_MLE_RESPONSE_KID'
        : 'CYBERSOURCE_MLE_RESPONSE_KID: must be set with CYBERSOURCE_MLE_RESPONSE_KEY (the key id from the Business Center)',
    );
  }
  if (kid !== undefined && !/^[\x21-\x7e]{1,128}$/.test(kid)) {
    issues.push('CYBERSOURCE_MLE_RESPONSE_KID: must be printable ASCII without spaces');
  }
  const request = cert === undefined ? undefined : requestRecipient(cert, issues);
  const privateKey =
    key === undefined
      ? undefined
      : responseKey(key, env.CYBERSOURCE_MLE_RESPONSE_KEY_PASSWORD, issues);
  return {
    request,
    response: privateKey && kid !== undefined ? { privateKey, kid } : undefined,
  };
}
