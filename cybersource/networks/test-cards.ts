/**
 * @module Test card numbers for every seed network and every co-badged pairing.
 *
 * `sandbox` numbers are the ones that worked against CyberSource's real REST sandbox
 * (API-FACTS §6). Every other number is `emulator-only`: built by us inside the ranges of
 * `networks.ts` (Luhn-valid, since every seed network uses Luhn) and meaningful only to the
 * emulator. `coBadgedWith` lists every other network the number is also detected as, whether a
 * true co-badge (Visa/CB) or a range overlap (Elo 5067xx and Maestro's 50 catch-all).
 */
import type { NetworkName } from './types.ts';

export interface TestCard {
  network: NetworkName;
  number: string;
  description: string;
  source: 'sandbox' | 'emulator-only';
  coBadgedWith?: NetworkName[];
}

export const TEST_CARDS: readonly TestCard[] = [
  // API-FACTS §6: observed approving on the real sandbox.
  { network: 'VISA', number: '4111111111111111', description: 'Visa', source: 'sandbox' },
  {
    network: 'MASTERCARD',
    number: '5555555555554444',
    description: 'Mastercard (5-series)',
    source: 'sandbox',
  },
  {
    network: 'MASTERCARD',
    number: '2222420000001113',
    description: 'Mastercard (2-series)',
    source: 'sandbox',
  },
  {
    network: 'AMEX',
    number: '378282246310005',
    description: 'American Express',
    source: 'sandbox',
  },
  { network: 'DISCOVER', number: '6011111111111117', description: 'Discover', source: 'sandbox' },
  { network: 'JCB', number: '3566111111111113', description: 'JCB', source: 'sandbox' },

  // International networks: other lengths and the networks without a sandbox number.
  {
    network: 'VISA',
    number: '4222222222222',
    description: 'Visa, 13 digits',
    source: 'emulator-only',
  },
  {
    network: 'VISA',
    number: '4111111111111111110',
    description: 'Visa, 19 digits',
    source: 'emulator-only',
  },
  {
    network: 'DINERSCLUB',
    number: '36000000000008',
    description: 'Diners Club, 14 digits',
    source: 'emulator-only',
  },
  {
    network: 'DINERSCLUB',
    number: '3056930902590400',
    description: 'Diners Club, 16 digits',
    source: 'emulator-only',
  },
  {
    network: 'MAESTRO',
    number: '501800000009',
    description: 'Maestro, 12 digits',
    source: 'emulator-only',
  },
  {
    network: 'MAESTRO',
    number: '6304000000000000',
    description: 'Maestro, 16 digits',
    source: 'emulator-only',
  },
  {
    network: 'MAESTRO',
    number: '6759411100000000006',
    description: 'Maestro, 19 digits (UK 6759 prefix)',
    source: 'emulator-only',
  },
  {
    network: 'CUP',
    number: '6200000000000005',
    description: "UnionPay, 16 digits (also inside MF011's Maestro 601200–622125)",
    source: 'emulator-only',
    coBadgedWith: ['MAESTRO'],
  },
  {
    network: 'CUP',
    number: '6212345678901234569',
    description: 'UnionPay, 19 digits (also Maestro)',
    source: 'emulator-only',
    coBadgedWith: ['MAESTRO'],
  },
  {
    network: 'DISCOVER',
    number: '6221260000000000',
    description: 'Discover/UnionPay shared range 622126–622925',
    source: 'emulator-only',
    coBadgedWith: ['CUP'],
  },
  {
    network: 'DISCOVER',
    number: '8100000000000002',
    description: 'Discover/UnionPay shared range 810000–817199',
    source: 'emulator-only',
    coBadgedWith: ['CUP'],
  },

  // Cartes Bancaires: co-badged only.
  {
    network: 'CARTESBANCAIRES',
    number: '4035500000000000',
    description: 'Visa + Cartes Bancaires (BIN 403550)',
    source: 'emulator-only',
    coBadgedWith: ['VISA'],
  },
  {
    network: 'CARTESBANCAIRES',
    number: '5131000000000001',
    description: 'Mastercard + Cartes Bancaires (designated 5131xx)',
    source: 'emulator-only',
    coBadgedWith: ['MASTERCARD'],
  },

  // Carnet.
  {
    network: 'CARNET',
    number: '5063000000000003',
    description: "Carnet standalone (designated 5063xx; inside Maestro's 50)",
    source: 'emulator-only',
    coBadgedWith: ['MAESTRO'],
  },
  {
    network: 'CARNET',
    number: '5265000000000009',
    description: 'Mastercard + Carnet (designated 5265xx)',
    source: 'emulator-only',
    coBadgedWith: ['MASTERCARD'],
  },

  // Elo: published ranges that overlap other networks.
  {
    network: 'ELO',
    number: '4011780000000006',
    description: 'Elo BIN 401178 (inside Visa 4)',
    source: 'emulator-only',
    coBadgedWith: ['VISA'],
  },
  {
    network: 'ELO',
    number: '5066990000000002',
    description: "Elo 506699–506778 (inside Maestro's 50)",
    source: 'emulator-only',
    coBadgedWith: ['MAESTRO'],
  },
  {
    network: 'ELO',
    number: '5090000000000000',
    description: "Elo 509000–509999 (inside Maestro's 50)",
    source: 'emulator-only',
    coBadgedWith: ['MAESTRO'],
  },
  {
    network: 'ELO',
    number: '6504050000000003',
    description: 'Elo 650405–650439 (inside Discover 644–659)',
    source: 'emulator-only',
    coBadgedWith: ['DISCOVER'],
  },
  {
    network: 'ELO',
    number: '6277800000000006',
    description: 'Elo BIN 627780 (inside UnionPay 62 and Maestro 6270–6281)',
    source: 'emulator-only',
    coBadgedWith: ['CUP', 'MAESTRO'],
  },

  // mada.
  {
    network: 'MADA',
    number: '4406470000000007',
    description: 'Visa + mada (BIN 440647)',
    source: 'emulator-only',
    coBadgedWith: ['VISA'],
  },
  {
    network: 'MADA',
    number: '5294150000000007',
    description: 'Mastercard + mada (BIN 529415)',
    source: 'emulator-only',
    coBadgedWith: ['MASTERCARD'],
  },
  {
    network: 'MADA',
    number: '5888450000000003',
    description: "mada BIN 588845 (inside Maestro's 5600–6010)",
    source: 'emulator-only',
    coBadgedWith: ['MAESTRO'],
  },
  {
    network: 'MADA',
    number: '9682010000000005',
    description: 'mada only (BIN 968201)',
    source: 'emulator-only',
  },

  // Meeza.
  {
    network: 'MEEZA',
    number: '5078030000000003',
    description: "Meeza BIN 507803 (inside Maestro's 50)",
    source: 'emulator-only',
    coBadgedWith: ['MAESTRO'],
  },
  {
    network: 'MEEZA',
    number: '5279000000000003',
    description: 'Mastercard + Meeza (designated 5279xx)',
    source: 'emulator-only',
    coBadgedWith: ['MASTERCARD'],
  },

  // eftpos: co-badged only.
  {
    network: 'EFTPOS',
    number: '4564000000000000',
    description: 'Visa + eftpos (designated 4564xx)',
    source: 'emulator-only',
    coBadgedWith: ['VISA'],
  },
  {
    network: 'EFTPOS',
    number: '5163000000000002',
    description: 'Mastercard + eftpos (designated 5163xx)',
    source: 'emulator-only',
    coBadgedWith: ['MASTERCARD'],
  },

  // J.Crew private label.
  {
    network: 'JCREW',
    number: '7770000000000003',
    description: 'J.Crew (designated 777xxx)',
    source: 'emulator-only',
  },
];
