/**
 * @module What `npm start` prints beside the shop's address: where the merchant panel's admin
 * token is, and the cards: test cards where nothing real is charged, and the emulator's decline
 * triggers only on the emulator (the sandbox has its own: CyberSource's "Testing" pages). Live,
 * the numbers are not test cards and any card typed is charged.
 */
import type { DemoMode } from './launch.ts';

export function testCardLines(mode: DemoMode): string[] {
  if (mode === 'live') return ['Live: real cards are charged; there are no test cards.'];
  const cards = [
    'Test cards: 4111 1111 1111 1111 (Visa), 5555 5555 5555 4444 (Mastercard),',
    '            3782 822463 10005 (Amex); any future expiry, any security code.',
  ];
  if (mode === 'sandbox') return cards;
  // The emulator's triggers (emulator/README.md).
  return [
    ...cards,
    'Declines (donation amount): 2100.00 declined, 2102.00 insufficient funds,',
    '            2103.00 expired card, 2202.00 Decision Manager reject, 2203.00 held',
    '            for review; security code 002 fails the security-code check;',
    '            2000.00 loses the answer.',
  ];
}

/**
 * Where the merchant panel's admin token is. On the emulator the page carries it; against
 * CyberSource the operator types it into the panel. A token the demo generated is printed here,
 * once, to the operator's own terminal (it lives as long as this run, and nowhere else says
 * it); the merchant's own ADMIN_TOKEN is never echoed (a terminal may be shared or recorded).
 */
export function adminTokenLines(mode: DemoMode, token: string, generated: boolean): string[] {
  const which = generated ? `${token} (generated for this run)` : 'your ADMIN_TOKEN';
  if (mode === 'emulator') return [`Merchant token        ${which}, in the page for its panel`];
  return [
    `Merchant token        ${which}`,
    "                      Type it into the page's merchant panel: against CyberSource the page",
    '                      does not carry it (the tab keeps it until closed).',
  ];
}
