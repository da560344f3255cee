/**
 * @module Card-network types shared by the emulated Microform iframe, the emulator and the stub.
 *
 * The names are CyberSource's `allowedCardNetworks` values (API-FACTS §5.6; the
 * `allowed-card-networks` API-field reference lists exactly these 15 for Microform).
 */

/** The 15 seed networks, spelled as `allowedCardNetworks` spells them. */
export type NetworkName =
  | 'VISA'
  | 'MASTERCARD'
  | 'AMEX'
  | 'DISCOVER'
  | 'JCB'
  | 'DINERSCLUB'
  | 'MAESTRO'
  | 'CUP'
  | 'CARTESBANCAIRES'
  | 'CARNET'
  | 'ELO'
  | 'MADA'
  | 'MEEZA'
  | 'EFTPOS'
  | 'JCREW';

/**
 * Every network, international first. This order is also the detection tie-break (see
 * `detect.ts`); its first eight follow the Microform 0.11 table except that Maestro sits after
 * Discover, JCB and Diners (they never overlap Maestro on a full-length number).
 */
export const NETWORK_NAMES: readonly NetworkName[] = [
  'VISA',
  'MASTERCARD',
  'AMEX',
  'DISCOVER',
  'JCB',
  'DINERSCLUB',
  'MAESTRO',
  'CUP',
  'CARTESBANCAIRES',
  'CARNET',
  'ELO',
  'MADA',
  'MEEZA',
  'EFTPOS',
  'JCREW',
];

/**
 * Where a prefix range comes from:
 * - `mf011`: the card table inside CyberSource's Microform 0.11 iframe script (API-FACTS §5.6);
 * - `published`: a public list from the scheme or a payment provider (cited on the network);
 * - `emulator-only`: no public range exists, so the emulator designates one (README.md).
 */
export type RangeSource = 'mf011' | 'published' | 'emulator-only';

/**
 * An inclusive range of card-number prefixes, e.g. `51`–`55` or `622126`–`622925`.
 * `low` and `high` have the same number of digits (at most 8, like Microform's BIN window).
 */
export interface PrefixRange {
  readonly low: string;
  readonly high: string;
  readonly source: RangeSource;
  /**
   * Set when this range is a local brand printed on an international card (co-badging): the
   * card is detected as the partner network first and this network second.
   */
  readonly coBadgedWith?: readonly NetworkName[];
}

export interface CardNetwork {
  readonly name: NetworkName;
  /** The `card[].name` in Microform's `change` event, e.g. `visa`, `diners-club`. */
  readonly microformName: string;
  /** The `card[].brandedName` in Microform's `change` event, e.g. `American Express`. */
  readonly brandedName: string;
  /** CyberSource `paymentInformation.card.type` (API-FACTS §5.6). */
  readonly cybsCardType: string;
  /** Other codes CyberSource uses for the same network (Carnet has two), accepted on input. */
  readonly alternateCardTypes: readonly string[];
  /** Allowed total lengths, ascending. */
  readonly lengths: readonly number[];
  readonly securityCode: { readonly name: string; readonly length: number };
  readonly luhn: boolean;
  /** Positions after which a space is shown: Microform's `spaces`, e.g. [4, 8, 12]. */
  readonly gaps: readonly number[];
  readonly ranges: readonly PrefixRange[];
  /** Where the ranges come from, in words, with the citation. */
  readonly rangeSource: string;
}
