/**
 * @module Message-level encryption settings (cybersource/mle): CyberSource's request-MLE
 * certificate, and the merchant's own response-MLE key, each given as a file path or as the PEM
 * text itself (a secret store often hands over contents, not files).
 *
 * Request MLE is on once the certificate is set: every call that takes it (payments, Token
 * Management, the transaction search) is encrypted to it. Response MLE is on once the key and its
 * id are set: every call asks CyberSource to encrypt its answer to that key. Both ride on JWT only
 * (the REST guide: "MLE is supported when using JSON web tokens"), so any of them with HTTP
 * signature stops the start. No message here repeats what a variable holds: a key given where a
 * path was expected must not be printed to a log.
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
  /**
   * CyberSource's request-MLE key: its certificate's public key and serialNumber, and when the
   * certificate ends (the stub warns at start when that is past or near).
   */
  request: (MleRecipient & { validTo: Date }) | undefined;
  /** The merchant's response-MLE key, and the id CyberSource knows it by. */
  response: { privateKey: KeyObject; kid: string } | undefined;
}

export const NO_MLE: MleConfig = { request: undefined, response: undefined };

/** The SDK's default alias of CyberSource's request-MLE certificate (`requestMleKeyAlias`). */
const CYBERSOURCE_MLE_CN = 'CyberSource_SJC_US';

const MLE_VARIABLES = [
  'CYBERSOURCE_MLE_REQUEST_CERT',
  'CYBERSOURCE_MLE_RESPONSE_KEY',
  'CYBERSOURCE_MLE_RESPONSE_KID',
  'CYBERSOURCE_MLE_RESPONSE_KEY_PASSWORD',
] as const;

type Env = Record<string, string | undefined>;

const PEM_LABEL = /-----BEGIN [A-Z0-9 ]+-----/;

/**
 * The PEM text a variable gives: inline anywhere in its value (quoted, as `docker --env-file`
 * keeps it; after the "Bag Attributes" lines `openssl pkcs12` writes), its line breaks perhaps
 * written as the two characters `\n` (secret stores, .env files); or read from the one-line path
 * it holds. `undefined` with an issue otherwise.
 */
function pemOf(name: string, value: string, issues: string[]): string | undefined {
  // No PEM holds a backslash: `\n` and `\r\n` written out are line breaks wherever they are.
  const text = value.replace(/\\r\\n|\\n/g, '\n');
  if (PEM_LABEL.test(text)) return text;
  if (value.length > 1024 || /[\r\n]/.test(value)) {
    issues.push(`${name}: neither PEM text nor the path of a PEM file`);
    return undefined;
  }
  try {
    return readFileSync(value, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    issues.push(
      `${name}: cannot read the file it names (${code}); give a PEM file's path or its contents`,
    );
    return undefined;
  }
}

/** An RSA key of at least 2048 bits: what RSA-OAEP-256 in MLE takes (the REST guide). */
function rsaIssue(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType !== 'rsa') return 'must be an RSA key';
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  return bits < 2048 ? 'must be an RSA key of at least 2048 bits' : undefined;
}

/**
 * The certificate to encrypt to, chosen as the SDK chooses from a file of several (`Cache.js`
 * `loadCertificateFromPem`, `Utility.findCertificateByAlias`): the one named
 * `CyberSource_SJC_US`, else the first.
 */
function mleCertificate(pem: string): X509Certificate | undefined {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  const certs: X509Certificate[] = [];
  for (const block of blocks) {
    try {
      certs.push(new X509Certificate(block));
    } catch {
      // not a certificate after all; the others may be
    }
  }
  // The SDK compares the alias without regard to case (`Utility.findCertificateByAlias`).
  const cn = `CN=${CYBERSOURCE_MLE_CN}`.toLowerCase();
  const named = certs.find((c) =>
    c.subject.split('\n').some((line) => line.trim().toLowerCase() === cn),
  );
  return named ?? certs[0];
}

function requestRecipient(value: string, issues: string[]): MleConfig['request'] {
  const name = 'CYBERSOURCE_MLE_REQUEST_CERT';
  const pem = pemOf(name, value, issues);
  if (pem === undefined) return undefined;
  const cert = mleCertificate(pem);
  if (!cert) {
    issues.push(
      `${name}: no PEM certificate in it (download CyberSource's MLE certificate, .pem/.crt)`,
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
  return problem || !kid
    ? undefined
    : { publicKey: cert.publicKey, kid, validTo: new Date(cert.validTo) };
}

/** Any private key block (PKCS#8, encrypted, RSA, EC…): one not RSA is named so by `rsaIssue`. */
const PRIVATE_KEY_BLOCK =
  /-----BEGIN ([A-Z0-9]+ )?PRIVATE KEY-----[\s\S]*?-----END ([A-Z0-9]+ )?PRIVATE KEY-----/;

function responseKey(
  value: string,
  passphrase: string | undefined,
  issues: string[],
): KeyObject | undefined {
  const name = 'CYBERSOURCE_MLE_RESPONSE_KEY';
  const pem = pemOf(name, value, issues);
  if (pem === undefined) return undefined;
  const block = PRIVATE_KEY_BLOCK.exec(pem)?.[0];
  let key: KeyObject | undefined;
  try {
    const input: PrivateKeyInput = { key: block ?? '', format: 'pem' };
    key = block
      ? createPrivateKey(passphrase === undefined ? input : { ...input, passphrase })
      : undefined;
  } catch {
    key = undefined;
  }
  if (!key) {
    issues.push(
      `${name}: not a PEM private key${passphrase === undefined ? ' (an encrypted one needs CYBERSOURCE_MLE_RESPONSE_KEY_PASSWORD)' : ', or the password does not open it'}`,
    );
    return undefined;
  }
  const problem = rsaIssue(key);
  if (problem) issues.push(`${name}: ${problem}`);
  return problem ? undefined : key;
}

/**
 * Reads the MLE variables (empty ones already dropped); problems go to `issues` by name. Run
 * whatever else is wrong, so one start names every bad variable.
 */
export function mleFromEnv(env: Env, auth: 'http-signature' | 'jwt', issues: string[]): MleConfig {
  if (auth !== 'jwt') {
    for (const name of MLE_VARIABLES) {
      if (env[name] !== undefined) {
        issues.push(`${name}: needs CYBERSOURCE_AUTH=jwt (CyberSource carries MLE with JWT only)`);
      }
    }
    return NO_MLE;
  }
  const cert = env.CYBERSOURCE_MLE_REQUEST_CERT;
  const key = env.CYBERSOURCE_MLE_RESPONSE_KEY;
  const kid = env.CYBERSOURCE_MLE_RESPONSE_KID;
  if ((key === undefined) !== (kid === undefined)) {
    issues.push(
      key === undefined
        ? 'CYBERSOURCE_MLE_RESPONSE_KEY: must be set with CYBERSOURCE_MLE_RESPONSE_KID'
        : 'CYBERSOURCE_MLE_RESPONSE_KID: must be set with CYBERSOURCE_MLE_RESPONSE_KEY (the key id from the Business Center)',
    );
  }
  if (key === undefined && env.CYBERSOURCE_MLE_RESPONSE_KEY_PASSWORD !== undefined) {
    issues.push('CYBERSOURCE_MLE_RESPONSE_KEY_PASSWORD: set without CYBERSOURCE_MLE_RESPONSE_KEY');
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
