/**
 * @module The key id of an MLE certificate: CyberSource names its request-MLE key by the
 * `serialNumber` attribute (OID 2.5.4.5) of the certificate's subject, not the certificate's own
 * serial (the SDK's `getSerialNumberFromCert`; the certificate a merchant downloads from the
 * Business Center, alias `CyberSource_SJC_US`).
 */
import type { X509Certificate } from 'node:crypto';

/** The subject's `serialNumber`, or undefined when the certificate has none. */
export function subjectSerialNumber(cert: X509Certificate): string | undefined {
  // Node prints the subject one attribute per line, `serialNumber=…` for OID 2.5.4.5.
  for (const line of cert.subject.split('\n')) {
    const m = /^serialNumber=(.+)$/.exec(line.trim());
    if (m?.[1]) return m[1];
  }
  return undefined;
}
