/**
 * @module The 15 seed networks by name, and lookup by CyberSource card-type code.
 */
import { CARNET, CARTESBANCAIRES, EFTPOS, ELO, JCREW, MADA, MEEZA } from './local-networks.ts';
import {
  AMEX,
  CUP,
  DINERSCLUB,
  DISCOVER,
  JCB,
  MAESTRO,
  MASTERCARD,
  VISA,
} from './mf011-networks.ts';
import type { CardNetwork, NetworkName } from './types.ts';

export const NETWORKS: Readonly<Record<NetworkName, CardNetwork>> = {
  VISA,
  MASTERCARD,
  AMEX,
  DISCOVER,
  JCB,
  DINERSCLUB,
  MAESTRO,
  CUP,
  CARTESBANCAIRES,
  CARNET,
  ELO,
  MADA,
  MEEZA,
  EFTPOS,
  JCREW,
};

/** The network for a `card.type` code such as "001"; Carnet answers to both 058 and 056. */
export function networkByCardType(code: string): CardNetwork | undefined {
  return Object.values(NETWORKS).find(
    (n) => n.cybsCardType === code || n.alternateCardTypes.includes(code),
  );
}
