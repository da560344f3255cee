/**
 * @module Which origins the Microform library may be loaded from.
 *
 * Only CyberSource's own hosts (API-FACTS §5.3) plus, in emulator mode, the one origin the stub
 * declares. A page may load no other payment script (PCI DSS 6.4.3, RELIABILITY-FACTS §1.3).
 */
import type { Session } from '../api/types.ts';

export function isAllowedLibrary(url: string, session: Session): boolean {
  try {
    const origin = new URL(url).origin;
    return (
      // Exactly https://flex.cybersource.com or https://testflex.cybersource.com.
      /^https:\/\/(test)?flex\.cybersource\.com$/.test(origin) ||
      // No emulatorOrigin: new URL('') throws, which refuses.
      (session.environment === 'emulator' &&
        origin === new URL(session.emulatorOrigin ?? '').origin)
    );
  } catch {
    return false;
  }
}
