/**
 * @module Which origins the Microform library may be loaded from.
 *
 * Only CyberSource's own hosts (API-FACTS §5.3) plus the one origin the stub declares, which it
 * reads from a capture context it verified (the emulator, Visa Acceptance, a white-label
 * gateway). A page may load no other payment script (PCI DSS 6.4.3, RELIABILITY-FACTS §1.3).
 */
import type { Session } from '../api/types.ts';

export function isAllowedLibrary(url: string, session: Session): boolean {
  try {
    const origin = new URL(url).origin;
    return (
      // Exactly https://flex.cybersource.com or https://testflex.cybersource.com.
      /^https:\/\/(test)?flex\.cybersource\.com$/.test(origin) ||
      // No libraryOrigin: new URL('') throws, which refuses; so does an opaque origin
      // (`data:`, `blob:`), which any other opaque origin would equal.
      (origin !== 'null' && origin === new URL(session.libraryOrigin ?? '').origin)
    );
  } catch {
    return false;
  }
}
