/**
 * @module The number field's `change` payload, as Microform's iframe sends it (API-FACTS §5.4):
 * `{card:[{name, brandedName, cybsCardType, spaces, lengths, securityCode, luhn, valid,
 * couldBeValid}], valid, couldBeValid, empty}`. Field names are MF011's.
 */
import { assessCardNumber, type NetworkAssessment } from './detect.ts';
import type { NetworkName } from './types.ts';

export interface MicroformCard {
  name: string;
  brandedName: string;
  cybsCardType: string;
  spaces: number[];
  lengths: number[];
  securityCode: { name: string; length: number };
  luhn: boolean;
  valid: boolean;
  couldBeValid: boolean;
}

export interface MicroformNumberChange {
  card: MicroformCard[];
  valid: boolean;
  couldBeValid: boolean;
  empty: boolean;
}

/** One `card[]` entry. Fresh arrays, so the payload can be posted and mutated freely. */
export function toMicroformCard({
  network,
  valid,
  couldBeValid,
}: NetworkAssessment): MicroformCard {
  return {
    name: network.microformName,
    brandedName: network.brandedName,
    cybsCardType: network.cybsCardType,
    spaces: [...network.gaps],
    lengths: [...network.lengths],
    securityCode: { ...network.securityCode },
    luhn: network.luhn,
    valid,
    couldBeValid,
  };
}

/** The whole `change` payload for the digits typed so far. */
export function microformNumberChange(
  digits: string,
  allowed?: readonly NetworkName[],
): MicroformNumberChange {
  const a = assessCardNumber(digits, allowed);
  return {
    card: a.cards.map(toMicroformCard),
    valid: a.valid,
    couldBeValid: a.couldBeValid,
    empty: a.empty,
  };
}
