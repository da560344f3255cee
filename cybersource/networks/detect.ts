/**
 * @module Card-number detection and the `change`-event verdicts of Microform's number field.
 *
 * Semantics follow the Microform 0.11 iframe (API-FACTS §5.4/§5.6, "MF011"):
 * - a network matches when one of its prefix ranges matches (see `range.ts`) and the number is
 *   not longer than its longest allowed length;
 * - a network is valid when the length is one of its lengths and, if it uses Luhn, Luhn passes;
 *   it could be valid when it is valid or more digits may still be typed;
 * - the number is valid when at least one network matched and EVERY matched network is valid
 *   (MF011 uses `every`, so a 17-digit 62xxxx number, Maestro-valid but not UnionPay-valid, is
 *   not valid); it could be valid when SOME matched network could be.
 * Only the networks in `allowed` (the capture context's `allowedCardNetworks`) take part.
 */
import { luhnValid } from './luhn.ts';
import { NETWORKS } from './networks.ts';
import { prefixMatchWidth } from './range.ts';
import { type CardNetwork, NETWORK_NAMES, type NetworkName } from './types.ts';

export interface NetworkAssessment {
  readonly network: CardNetwork;
  readonly valid: boolean;
  readonly couldBeValid: boolean;
}

export interface CardNumberAssessment {
  /** Matching allowed networks, in the order of `detectNetworks`. */
  readonly networks: CardNetwork[];
  /** The same networks with their own verdicts: Microform's per-card `valid`/`couldBeValid`. */
  readonly cards: NetworkAssessment[];
  readonly valid: boolean;
  readonly couldBeValid: boolean;
  readonly empty: boolean;
}

/** Microform strips white space before detecting; anything else that is not a digit fails. */
function normalise(input: string): string | undefined {
  const digits = input.replace(/\s+/g, '');
  return /^\d*$/.test(digits) ? digits : undefined;
}

interface Match {
  readonly network: CardNetwork;
  /** 0 when the best matching range is the network's own, 1 when it is a co-badge range. */
  readonly secondary: number;
  readonly width: number;
  /** How many prefixes of that width the range spans: fewer is more specific. */
  readonly span: number;
  readonly order: number;
}

function bestMatch(network: CardNetwork, digits: string, order: number): Match | undefined {
  let best: Match | undefined;
  for (const range of network.ranges) {
    const width = prefixMatchWidth(range, digits);
    if (width === 0) continue;
    const secondary = range.coBadgedWith === undefined ? 0 : 1;
    const span = Number(range.high.slice(0, width)) - Number(range.low.slice(0, width));
    const candidate: Match = { network, secondary, width, span, order };
    if (best === undefined || compareMatches(candidate, best) < 0) best = candidate;
  }
  return best;
}

/** Own range before co-badge range, then longer matched prefix, then narrower range. */
function compareMatches(a: Match, b: Match): number {
  return a.secondary - b.secondary || b.width - a.width || a.span - b.span;
}

function maxLength(network: CardNetwork): number {
  return Math.max(...network.lengths);
}

/**
 * All networks whose ranges match the (possibly partial) digits, most specific / primary first;
 * filtered by `allowed` when given.
 *
 * Order: when `allowed` is given, its order wins. CyberSource documents this for dual-branded
 * cards ("the network that is listed first in the value array for the allowedCardNetworks field
 * is used", Unified Checkout "Dual-Branded Cards"); we assume Microform v2 does the same
 * [inferred]. Without `allowed`: the network's own ranges before co-badge ranges (a Visa/CB card
 * is Visa first), then the longer matching prefix (Elo's 5067xx before Maestro's 50), then the
 * narrower range (UnionPay's 620000–629999 before Maestro's 601200–622125; MF011 itself just
 * keeps its table order, which would put Maestro first), then NETWORK_NAMES order.
 */
export function detectNetworks(digits: string, allowed?: readonly NetworkName[]): CardNetwork[] {
  const number = normalise(digits);
  if (number === undefined || number.length === 0) return [];
  const matches: Match[] = [];
  NETWORK_NAMES.forEach((name, order) => {
    if (allowed !== undefined && !allowed.includes(name)) return;
    const network = NETWORKS[name];
    if (number.length > maxLength(network)) return;
    const match = bestMatch(network, number, order);
    if (match !== undefined) matches.push(match);
  });
  matches.sort(
    (a, b) =>
      (allowed === undefined
        ? 0
        : allowed.indexOf(a.network.name) - allowed.indexOf(b.network.name)) ||
      compareMatches(a, b) ||
      a.order - b.order,
  );
  return matches.map((m) => m.network);
}

function assessFor(network: CardNetwork, digits: string): NetworkAssessment {
  const valid = network.lengths.includes(digits.length) && (!network.luhn || luhnValid(digits));
  return { network, valid, couldBeValid: valid || digits.length < maxLength(network) };
}

/**
 * Microform semantics: valid = full allowed length + Luhn (if applicable) + an allowed network;
 * couldBeValid = the digits typed so far can still become valid; empty = no digits.
 */
export function assessCardNumber(
  digits: string,
  allowed?: readonly NetworkName[],
): CardNumberAssessment {
  const number = normalise(digits) ?? '';
  const empty = digits.replace(/\s+/g, '').length === 0;
  const networks = detectNetworks(digits, allowed);
  const cards = networks.map((n) => assessFor(n, number));
  return {
    networks,
    cards,
    valid: cards.length > 0 && cards.every((c) => c.valid),
    couldBeValid: cards.some((c) => c.couldBeValid),
    empty,
  };
}
