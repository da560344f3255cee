/**
 * @module A self-signed X.509 certificate for the emulator's request-MLE key: what a merchant
 * downloads from the Business Center to encrypt requests with (`CyberSource_SJC_US`, its key id
 * the subject's `serialNumber`). Node verifies and parses certificates but cannot make one, so
 * this writes the DER by hand (RFC 5280 §4.1): version 3, a random serial, sha256WithRSA, the
 * same name as issuer and subject, and the key's SubjectPublicKeyInfo.
 */
import { type KeyObject, randomBytes, sign } from 'node:crypto';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
const SERIAL_NUMBER = '2.5.4.5';

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
    length = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

const sequence = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const printable = (s: string) => tlv(0x13, Buffer.from(s, 'ascii'));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const arc of rest) {
    const septets: number[] = [];
    for (let v = arc; ; v = Math.floor(v / 128)) {
      septets.unshift((v % 128) | (septets.length ? 0x80 : 0));
      if (v < 128) break;
    }
    out.push(...septets);
  }
  return tlv(0x06, Buffer.from(out));
}

/** A positive INTEGER: a leading zero byte when the top bit is set. */
function positiveInteger(bytes: Buffer): Buffer {
  return tlv(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${iso}Z`));
}

export interface CertificateInput {
  publicKey: KeyObject;
  privateKey: KeyObject;
  commonName: string;
  /** The subject's serialNumber attribute: the MLE key id. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

/** The certificate as PEM. */
export function selfSignedCertificate(input: CertificateInput): string {
  const algorithm = sequence(oid(SHA256_WITH_RSA), tlv(0x05, Buffer.alloc(0)));
  const name = sequence(
    set(sequence(oid(COMMON_NAME), utf8(input.commonName))),
    set(sequence(oid(SERIAL_NUMBER), printable(input.serialNumber))),
  );
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f || 1;
  const tbs = sequence(
    tlv(0xa0, positiveInteger(Buffer.from([2]))),
    positiveInteger(serial),
    algorithm,
    name,
    sequence(time(input.notBefore), time(input.notAfter)),
    name,
    input.publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, input.privateKey);
  const der = sequence(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
