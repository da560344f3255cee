/**
 * @module The eight networks that CyberSource's Microform 0.11 iframe script detects itself.
 *
 * Names, branded names, card-type codes, `spaces` (our `gaps`), lengths, security-code names and
 * lengths, Luhn flags and BIN ranges are as in that script's card table (API-FACTS §5.6, "MF011").
 * Keeping them identical matters: the widget and the stub read these exact values from the
 * `change` event, and the emulated iframe must produce what the real one produces.
 * Note MF011 spells "MasterCard" and "China UnionPay", and gives Visa every length from 13 to 19.
 */
import { prefixRange } from './range.ts';
import type { CardNetwork } from './types.ts';

const MF011 = 'Microform 0.11 iframe card table (API-FACTS §5.6)';
const digits4812 = [4, 8, 12] as const;

export const VISA: CardNetwork = {
  name: 'VISA',
  microformName: 'visa',
  brandedName: 'Visa',
  cybsCardType: '001',
  alternateCardTypes: [],
  lengths: [13, 14, 15, 16, 17, 18, 19],
  securityCode: { name: 'CVV', length: 3 },
  luhn: true,
  gaps: digits4812,
  ranges: [prefixRange('4', '4', 'mf011')],
  rangeSource: MF011,
};

export const MASTERCARD: CardNetwork = {
  name: 'MASTERCARD',
  microformName: 'mastercard',
  brandedName: 'MasterCard',
  cybsCardType: '002',
  alternateCardTypes: [],
  lengths: [16],
  securityCode: { name: 'CVC', length: 3 },
  luhn: true,
  gaps: digits4812,
  ranges: [prefixRange('51', '55', 'mf011'), prefixRange('2221', '2720', 'mf011')],
  rangeSource: MF011,
};

export const AMEX: CardNetwork = {
  name: 'AMEX',
  microformName: 'amex',
  brandedName: 'American Express',
  cybsCardType: '003',
  alternateCardTypes: [],
  lengths: [15],
  securityCode: { name: 'CID', length: 4 },
  luhn: true,
  gaps: [4, 10],
  ranges: [prefixRange('34', '34', 'mf011'), prefixRange('37', '37', 'mf011')],
  rangeSource: MF011,
};

export const DISCOVER: CardNetwork = {
  name: 'DISCOVER',
  microformName: 'discover',
  brandedName: 'Discover',
  cybsCardType: '004',
  alternateCardTypes: [],
  lengths: [16, 19],
  securityCode: { name: 'CID', length: 3 },
  luhn: true,
  gaps: digits4812,
  ranges: [
    prefixRange('60110', '60110', 'mf011'),
    // Deviation from MF011, which files 60111x under Maestro (Discover's own IIN table skips
    // 601110–601119 too). CyberSource's sandbox takes 6011111111111117 as Discover (API-FACTS
    // §6), and a shopper typing CyberSource's Discover test card must see Discover.
    prefixRange('60111', '60111', 'emulator-only'),
    prefixRange('60112', '60114', 'mf011'),
    prefixRange('601174', '601174', 'mf011'),
    prefixRange('601177', '601179', 'mf011'),
    prefixRange('601186', '601199', 'mf011'),
    // Shared with UnionPay in MF011 itself (Discover–UnionPay network alliance).
    prefixRange('622126', '622925', 'mf011'),
    prefixRange('644', '659', 'mf011'),
    prefixRange('810000', '817199', 'mf011'),
  ],
  rangeSource: MF011,
};

export const JCB: CardNetwork = {
  name: 'JCB',
  microformName: 'jcb',
  brandedName: 'JCB',
  cybsCardType: '007',
  alternateCardTypes: [],
  lengths: [16],
  securityCode: { name: 'CVV', length: 3 },
  luhn: true,
  gaps: digits4812,
  ranges: [prefixRange('3528', '3589', 'mf011')],
  rangeSource: MF011,
};

export const DINERSCLUB: CardNetwork = {
  name: 'DINERSCLUB',
  microformName: 'diners-club',
  brandedName: 'Diners Club',
  cybsCardType: '005',
  alternateCardTypes: [],
  lengths: [14, 16],
  securityCode: { name: 'CVV', length: 3 },
  luhn: true,
  gaps: [4, 10],
  ranges: [
    prefixRange('300', '305', 'mf011'),
    prefixRange('3095', '3095', 'mf011'),
    prefixRange('36', '36', 'mf011'),
    prefixRange('38', '39', 'mf011'),
  ],
  rangeSource: MF011,
};

/**
 * International Maestro (042; 024 is UK Domestic Maestro, not a seed network). MF011 treats it
 * as the catch-all for 50 and 56–69 outside Discover, so local schemes in 50xxxx (Elo, Carnet,
 * Meeza) and 58/60/63xxxx (mada) are also detected as Maestro: a real overlap, kept on purpose.
 */
export const MAESTRO: CardNetwork = {
  name: 'MAESTRO',
  microformName: 'maestro',
  brandedName: 'Maestro',
  cybsCardType: '042',
  alternateCardTypes: [],
  lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  securityCode: { name: 'CVC', length: 3 },
  luhn: true,
  gaps: digits4812,
  ranges: [
    prefixRange('50', '50', 'mf011'),
    prefixRange('5600', '6010', 'mf011'),
    // MF011 also has 60111 here; it is Discover's in the emulator (see DISCOVER).
    prefixRange('601150', '601173', 'mf011'),
    prefixRange('601175', '601176', 'mf011'),
    prefixRange('601180', '601185', 'mf011'),
    prefixRange('601200', '622125', 'mf011'),
    prefixRange('622926', '623999', 'mf011'),
    prefixRange('6270', '6281', 'mf011'),
    prefixRange('6289', '6439', 'mf011'),
    prefixRange('66', '69', 'mf011'),
  ],
  rangeSource: MF011,
};

export const CUP: CardNetwork = {
  name: 'CUP',
  microformName: 'cup',
  brandedName: 'China UnionPay',
  cybsCardType: '062',
  alternateCardTypes: [],
  lengths: [16, 19],
  securityCode: { name: 'CVN2', length: 3 },
  luhn: true,
  gaps: digits4812,
  ranges: [prefixRange('620000', '629999', 'mf011'), prefixRange('810000', '817199', 'mf011')],
  rangeSource: MF011,
};
