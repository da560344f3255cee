/**
 * @module Which origins the Microform library may be loaded from.
 *
 * Only CyberSource's own hosts (API-FACTS §5.3) plus, in emulator mode, the one origin the stub
 * declares. A page may load no other payment script (PCI DSS 6.4.3, RELIABILITY-FACTS §1.3).
 */
import type { Session } from '../api/types.ts';

const CYBERSOURCE = ['https://flex.cybersource.com', 'https://testflex.cybersource.com'];

export function isAllowedLibrary(url: string, session: Session): boolean {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return false;
  }
  if (CYBERSOURCE.includes(origin)) return true;
  if (session.environment !== 'emulator' || !session.emulatorOrigin) return false;
  try {
    return origin === new URL(session.emulatorOrigin).origin;
  } catch {
    return false;
  }
}
