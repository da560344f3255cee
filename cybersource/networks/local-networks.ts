/**
 * @module The seven seed networks that Microform 0.11 does not detect itself.
 *
 * CyberSource publishes their card-type codes (API-FACTS §5.6, from the Node SDK's `card.type`
 * documentation) but no detection rules. Their Microform `name`/`brandedName` are not public
 * either: we follow MF011's style (lowercase, hyphenated) and say so in README.md.
 *
 * Ranges: where a public list exists we use it and cite it; otherwise the emulator DESIGNATES
 * ranges (source `emulator-only`), chosen inside the partner network's range for co-badged cards
 * and clear of every other range in this folder (a test checks that). Real cards of these
 * schemes will mostly be detected as their international partner only; that is expected.
 */
import { prefixRange } from './range.ts';
import type { CardNetwork, NetworkName, PrefixRange } from './types.ts';

const ON_VISA: readonly NetworkName[] = ['VISA'];
const ON_MASTERCARD: readonly NetworkName[] = ['MASTERCARD'];
const gaps16 = [4, 8, 12] as const;

function published(...prefixes: readonly string[]): PrefixRange[] {
  return prefixes.map((p) => {
    const [low = p, high = low] = p.split('-');
    return prefixRange(low, high, 'published');
  });
}

function coBadged(partner: readonly NetworkName[], ...prefixes: readonly string[]): PrefixRange[] {
  return prefixes.map((p) => {
    const [low = p, high = low] = p.split('-');
    return prefixRange(low, high, 'published', partner);
  });
}

/**
 * Cartes Bancaires (France). Almost every CB card is co-badged with Visa or Mastercard, and the
 * CB BIN list is not public. 403550 is the Visa/CB BIN that CyberSource's own "Dual-Branded
 * Cards" page uses as its example; the Mastercard range is designated.
 */
export const CARTESBANCAIRES: CardNetwork = {
  name: 'CARTESBANCAIRES',
  microformName: 'cartes-bancaires',
  brandedName: 'Cartes Bancaires',
  cybsCardType: '036',
  alternateCardTypes: [],
  lengths: [16],
  securityCode: { name: 'CVV', length: 3 },
  luhn: true,
  gaps: gaps16,
  ranges: [
    prefixRange('403550', '403550', 'emulator-only', ON_VISA),
    prefixRange('513100', '513199', 'emulator-only', ON_MASTERCARD),
  ],
  rangeSource:
    'No public BIN list. Emulator-only: 403550 (Visa; the example BIN of CyberSource\'s "Dual-Branded Cards" page) and 513100–513199 (Mastercard, designated).',
};

/**
 * Carnet (Mexico). The SDK lists both 056 and 058 as "Carnet"; we send 058 and accept 056 on
 * input (README.md, "Carnet's code"). No authoritative BIN list is public: both ranges are
 * designated, one standalone (inside Maestro's 50 catch-all, like real domestic 50xxxx cards)
 * and one co-badged with Mastercard.
 */
export const CARNET: CardNetwork = {
  name: 'CARNET',
  microformName: 'carnet',
  brandedName: 'Carnet',
  cybsCardType: '058',
  alternateCardTypes: ['056'],
  lengths: [16],
  securityCode: { name: 'CVV', length: 3 },
  luhn: true,
  gaps: gaps16,
  ranges: [
    prefixRange('506300', '506399', 'emulator-only'),
    prefixRange('526500', '526599', 'emulator-only', ON_MASTERCARD),
  ],
  rangeSource:
    'No authoritative public BIN list. Emulator-only: 506300–506399 (standalone) and 526500–526599 (Mastercard co-badge).',
};

/**
 * Elo (Brazil). Elo publishes its BIN table; these are the ranges as reproduced by public
 * card-type libraries (e.g. braintree/credit-card-type, erikhenrique/bin-cc). They overlap
 * Visa (4xxxxx), Maestro (50xxxx, 62/63xxxx), UnionPay (627780) and Discover (65xxxx): real
 * overlaps that Microform-style detection reports as several networks.
 */
export const ELO: CardNetwork = {
  name: 'ELO',
  microformName: 'elo',
  brandedName: 'Elo',
  cybsCardType: '054',
  alternateCardTypes: [],
  lengths: [16],
  securityCode: { name: 'CVE', length: 3 },
  luhn: true,
  gaps: gaps16,
  ranges: published(
    '401178',
    '401179',
    '431274',
    '438935',
    '451416',
    '457393',
    '457631',
    '457632',
    '504175',
    '506699-506778',
    '509000-509999',
    '627780',
    '636297',
    '636368',
    '650031-650033',
    '650035-650051',
    '650405-650439',
    '650485-650538',
    '650541-650598',
    '650700-650718',
    '650720-650727',
    '650901-650978',
    '651652-651679',
    '655000-655019',
    '655021-655058',
  ),
  rangeSource:
    "Published: Elo's BIN table as reproduced by public card-type libraries (braintree/credit-card-type, erikhenrique/bin-cc).",
};

/**
 * mada (Saudi Arabia). Mada cards are debit cards co-badged with Visa or Mastercard (Checkout.com
 * and Amazon Payment Services mada pages); acquirers publish the mada BIN list so merchants can
 * tell them apart. These BINs are the public list shipped in Moyasar's SDK (`mada_util`).
 */
export const MADA: CardNetwork = {
  name: 'MADA',
  microformName: 'mada',
  brandedName: 'mada',
  cybsCardType: '060',
  alternateCardTypes: [],
  lengths: [16],
  securityCode: { name: 'CVV', length: 3 },
  luhn: true,
  gaps: gaps16,
  ranges: [
    ...coBadged(
      ON_VISA,
      '403024',
      '406136',
      '406996',
      '40719700',
      '40739500',
      '407520',
      '409201',
      '410621',
      '410685',
      '410834',
      '412565',
      '417633',
      '419593',
      '420132',
      '421141',
      '422817-422819',
      '428331',
      '428671-428673',
      '431361',
      '432328',
      '434107',
      '439954',
      '440533',
      '440647',
      '440795',
      '442463',
      '445564',
      '446393',
      '446404',
      '446672',
      '45488707',
      '455036',
      '455708',
      '457865',
      '457997',
      '458456',
      '462220',
      '468540-468543',
      '474491',
      '483010-483012',
      '484783',
      '486094-486096',
      '489318-489319',
    ),
    ...coBadged(
      ON_MASTERCARD,
      '22337902',
      '22337986',
      '22402030',
      '242030',
      '513213',
      '515079',
      '516138',
      '520058',
      '521076',
      '52166100',
      '524130',
      '524514',
      '529415',
      '529741',
      '530060',
      '531196',
      '535825',
      '535989',
      '536023',
      '537767',
      '543085',
      '543357',
      '549760',
      '554180',
      '555610',
      '558563',
    ),
    // mada-only BINs (inside Maestro's catch-all, or outside every other seed network).
    ...published(
      '504300',
      '588845',
      '588848',
      '588850',
      '589206',
      '604906',
      '605141',
      '636120',
      '968201-968209',
      '968211',
    ),
  ],
  rangeSource:
    "Published: the mada BIN list in Moyasar's public SDK (react-native-moyasar-sdk `mada_util`); Visa and Mastercard BINs are marked co-badged.",
};

/**
 * Meeza (Egypt). Public card-type libraries list 507803, 507809–507811 (bendrucker/
 * creditcards-types); the scheme itself publishes none, so treat them as third-party data. The
 * Mastercard co-badge range is designated.
 */
export const MEEZA: CardNetwork = {
  name: 'MEEZA',
  microformName: 'meeza',
  brandedName: 'Meeza',
  cybsCardType: '067',
  alternateCardTypes: [],
  lengths: [16],
  securityCode: { name: 'CVV', length: 3 },
  luhn: true,
  gaps: gaps16,
  ranges: [
    ...published('507803', '507809-507811'),
    prefixRange('527900', '527999', 'emulator-only', ON_MASTERCARD),
  ],
  rangeSource:
    'Published (third-party, unverified): 507803, 507809–507811 (bendrucker/creditcards-types). Emulator-only: 527900–527999 (Mastercard co-badge).',
};

/**
 * eftpos (Australia). Issued almost only as co-badged debit cards with Visa or Mastercard; no
 * eftpos BIN list is public (providers answer it from their BIN-lookup services), so both
 * ranges are designated.
 */
export const EFTPOS: CardNetwork = {
  name: 'EFTPOS',
  microformName: 'eftpos',
  brandedName: 'eftpos',
  cybsCardType: '070',
  alternateCardTypes: [],
  lengths: [16],
  securityCode: { name: 'CVV', length: 3 },
  luhn: true,
  gaps: gaps16,
  ranges: [
    prefixRange('456400', '456499', 'emulator-only', ON_VISA),
    prefixRange('516300', '516399', 'emulator-only', ON_MASTERCARD),
  ],
  rangeSource:
    'No public BIN list. Emulator-only: 456400–456499 (Visa co-badge) and 516300–516399 (Mastercard co-badge).',
};

/**
 * J.Crew private-label card (code 046). Private-label BINs are not public; the emulator gives it
 * a standalone range under 7, where no other seed network lives, and keeps Luhn on (stricter).
 */
export const JCREW: CardNetwork = {
  name: 'JCREW',
  microformName: 'jcrew',
  brandedName: 'J.Crew',
  cybsCardType: '046',
  alternateCardTypes: [],
  lengths: [16],
  securityCode: { name: 'CVV', length: 3 },
  luhn: true,
  gaps: gaps16,
  ranges: [prefixRange('777000', '777999', 'emulator-only')],
  rangeSource: 'No public BIN range (private label). Emulator-only: 777000–777999.',
};
