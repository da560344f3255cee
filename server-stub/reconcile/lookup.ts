/**
 * @module Finding a transaction whose answer was lost (RELIABILITY-FACTS §3.6: "look it up
 * before anything else"). We never have CyberSource's id for it, so we search on our own unique
 * `clientReferenceInformation.code` (the stub's payment or refund id), then read the hit's
 * details by id (`GET /tss/v2/transactions/{id}`): they carry the status now, the network
 * transaction id and, after TOKEN_CREATE, the TMS ids the flow needs to finish.
 *
 * The status a lookup answers is what became of the transaction, not only what its own record
 * says: a void or reversal of it that went through (found by the same code) undoes it whatever
 * the original record still shows (`undoneBy`).
 */
import type { TransactionDetails, TransactionSummary } from '../../cybersource/payments/index.ts';
import type { CheckoutContext } from '../checkout/context.ts';
import { errorSummary } from '../checkout/sessions.ts';
import { getTransaction, searchByReferenceCode } from '../cybersource/transactions.ts';
import type { PaymentRow } from '../store/rows.ts';

/** Simple Order service names that Transaction Details lists per transaction (API-FACTS §2). */
export type Application = 'ics_auth' | 'ics_credit';

export type Lookup =
  /** `status`: what became of it (`undoneBy`, else `statusOf` its record). */
  | { outcome: 'found'; details: TransactionDetails; status: string }
  /**
   * The search lists it but its details are not there yet (404): CyberSource says to ask again
   * later; the reconciler waits rather than voiding a transaction it knows exists.
   */
  | { outcome: 'not_ready' }
  | { outcome: 'absent' }
  | { outcome: 'unavailable'; why: string };

/**
 * How long a transaction the search found may answer 404 on its details before the lookup gives
 * up on them: "If the response is an HTTP 404 status code, retry the API call 5 minutes later,
 * for a maximum of five tries" (developer.cybersource.com Transaction Details API,
 * `txn-details-intro.html`), counted from our row.
 */
export const DETAILS_LAG_MS = 30 * 60_000;

/**
 * The services a record names; `undefined` when it does not say (no list, or none of its entries
 * named). An entry without its name (optional in the NODE models) is left out: the named ones
 * still say what the record is (a void's `ics_void` beside it is still a void).
 */
function applicationsOf(t: TransactionSummary | TransactionDetails): string[] | undefined {
  const apps = t.applicationInformation?.applications;
  const names = apps?.flatMap((a) => (a.name === undefined ? [] : [a.name]));
  return names?.length || apps?.length === 0 ? names : undefined;
}

/** A void or reversal we sent carries the same code; only the wanted kind counts. */
function isKind(t: TransactionSummary | TransactionDetails, want: Application): boolean {
  const names = applicationsOf(t);
  return names === undefined || names.includes(want);
}

/**
 * The services that undo a transaction of each kind, as Simple Order names them (the names
 * Transaction Details lists), and the status each leaves: a timeout void of a sale or a refund,
 * a timeout reversal of an authorization that was never captured (`cancel.ts`).
 */
const UNDOING: Record<Application, Partial<Record<string, 'VOIDED' | 'REVERSED'>>> = {
  ics_auth: { ics_void: 'VOIDED', ics_auth_reversal: 'REVERSED' },
  ics_credit: { ics_void: 'VOIDED' },
};

/** A record is ours only if what it echoes is ours exactly (the search is a text query). */
function echoesOurs(d: TransactionDetails, ref: { code: string; transactionId: string }): boolean {
  const { code, transactionId: tid } = d.clientReferenceInformation ?? {};
  return (
    (code === undefined || code === ref.code) && (tid === undefined || tid === ref.transactionId)
  );
}

export async function lookUp(
  ctx: CheckoutContext,
  ref: { code: string; transactionId: string; createdAt: Date; application: Application },
  requestId: string,
): Promise<Lookup> {
  try {
    const since = { createdAt: ref.createdAt, now: ctx.now() };
    const hits = await searchByReferenceCode(ctx.client, ref.code, since, requestId);
    // Each record is read once, whichever question asks for it first.
    const read = new Map<string, Promise<TransactionDetails | undefined>>();
    const details = (id: string) => {
      const known = read.get(id) ?? getTransaction(ctx.client, id, requestId);
      read.set(id, known);
      return known;
    };
    const lagging = () => ctx.now().getTime() - ref.createdAt.getTime() < DETAILS_LAG_MS;
    let notReady = false;
    for (const hit of hits.filter((h) => isKind(h, ref.application))) {
      const found = await details(hit.id);
      if (!found) notReady = true;
      if (!found || !isKind(found, ref.application) || !echoesOurs(found, ref)) continue;
      const undone = await undoneBy(hits, details, ref, found.id, lagging());
      // A void listed but not readable yet may have gone through: never settle on the record's
      // own status while its details may still come (after the lag it is the record's word).
      if (undone === 'unreadable') return { outcome: 'not_ready' };
      if (undone === 'ambiguous') {
        ctx.logger.error(
          { requestId, code: ref.code, cybersourceId: found.id },
          'reconcile: a void under this code may be of the sale or of a refund made in the Business Center; left for a person to resolve',
        );
        return { outcome: 'not_ready' };
      }
      const status = undone ?? statusOf(found);
      return { outcome: 'found', details: found, status };
    }
    if (notReady && lagging()) return { outcome: 'not_ready' };
    return { outcome: 'absent' };
  } catch (err) {
    ctx.logger.warn({ requestId, err: errorSummary(err) }, 'reconcile: lookup failed');
    return { outcome: 'unavailable', why: 'lookup_failed' };
  }
}

/**
 * Whether a void or reversal of the transaction went through, listed under the same code: then
 * it is undone (`VOIDED` / `REVERSED`) whatever its own record shows. This does not rest on how
 * CyberSource shows a voided sale (API-FACTS §8, open question 5: a void may leave the sale's own
 * status as it was and only link the void under `relatedTransactions`), so a void whose answer
 * was lost is not read, on the next pass, as a sale that charged.
 *
 * - Our code is unique to the one payment or refund, and every follow-on of it keeps the code:
 *   our timeout void or reversal (`cancel.ts`), and one a person sends in the Business Center.
 *   Either undoes it. Transaction Details does not echo the `transactionId` a timeout void names
 *   its target by (NODE `TssV2TransactionsGet200ResponseClientReferenceInformation.md` lists
 *   `code`, `applicationName`, `applicationVersion`, `applicationUser`, `partner`, `comments`;
 *   real sandbox and production records show the same), so the code is what ties a void to us.
 *   A record that does echo a `transactionId` other than ours names another transaction and is
 *   passed over; one that echoes ours is certainly ours.
 * - One ambiguity, for a sale: a refund made in the Business Center keeps the sale's code (ours
 *   carry their own), so a void under the sale's code that names no `transactionId` may be that
 *   refund's when a successful credit under the same code was made before it. Then nothing is
 *   decided here (`ambiguous`): the row waits for a person. A reversal is never a refund's.
 * - It went through when its service's reply code is `1`, its status is `VOIDED` / `REVERSED`,
 *   or, where the service carries no code, the record's own code is `1`.
 * - `unreadable`: a record that may undo it, or be a refund that makes a void ambiguous, is listed
 *   but its details are not there yet (404) or could not be read; while `lagging` (the details
 *   lag) the caller waits rather than decide without it, and after it such a record is passed
 *   over.
 */
async function undoneBy(
  hits: TransactionSummary[],
  read: (id: string) => Promise<TransactionDetails | undefined>,
  ref: { code: string; transactionId: string; application: Application },
  originalId: string,
  lagging: boolean,
): Promise<'VOIDED' | 'REVERSED' | 'unreadable' | 'ambiguous' | undefined> {
  const undoing = UNDOING[ref.application];
  const serviceOf = (t: TransactionSummary | TransactionDetails) =>
    applicationsOf(t)?.find((name) => undoing[name] !== undefined);
  const wantsCredits = ref.application === 'ics_auth';
  const others = hits.filter((h) => h.id !== originalId);
  // A summary that lists no services may be anything: its details say.
  const maybe = others.filter(
    (h) =>
      applicationsOf(h) === undefined ||
      serviceOf(h) !== undefined ||
      (wantsCredits && applicationsOf(h)?.includes('ics_credit')),
  );
  let unreadable = false;
  const undone: { status: 'VOIDED' | 'REVERSED'; named: boolean; at: string | undefined }[] = [];
  /** Successful credits under our code, by when they were made. */
  const credits: (string | undefined)[] = [];
  for (const hit of maybe) {
    const details = await read(hit.id).catch(() => undefined);
    if (!details) {
      unreadable = true;
      continue;
    }
    const echoed = details.clientReferenceInformation;
    if (echoed?.code !== ref.code) continue;
    const info = details.applicationInformation;
    const apps = info?.applications ?? [];
    const succeeded = (name: string, status: string) => {
      const app = apps.find((a) => a.name === name);
      const onlyService = apps.every((a) => a.name === name);
      const code = app?.rCode ?? (onlyService ? info?.rCode : undefined);
      return code === '1' || (details.status ?? info?.status) === status;
    };
    if (wantsCredits && apps.some((a) => a.name === 'ics_credit')) {
      if (succeeded('ics_credit', 'PENDING')) credits.push(details.submitTimeUTC);
      continue;
    }
    const service = serviceOf(details);
    const status = service && undoing[service];
    if (!status) continue;
    // One that echoes another transaction's id is not of this one.
    if (!echoesOurs(details, ref)) continue;
    if (succeeded(service, status))
      undone.push({ status, named: echoed.transactionId !== undefined, at: details.submitTimeUTC });
  }
  // A refund made before the void (or at a time either record does not show) may be its target.
  const refundBefore = (at: string | undefined) =>
    credits.some((c) => c === undefined || at === undefined || c <= at);
  const certain = undone.find((u) => u.named || u.status === 'REVERSED');
  if (certain) return certain.status;
  // A record not readable yet may be a refund that makes a void ambiguous, or a void itself.
  if (unreadable && lagging) return 'unreadable';
  const voided = undone.find((u) => !refundBefore(u.at));
  if (undone.length > 0 && !voided) return 'ambiguous';
  return voided?.status;
}

/**
 * The status a found record shows: top level, or under `applicationInformation`; else what its
 * reply flags and codes say for sure: Decision Manager's verdict (`decidedByProfile`), or a
 * declined service, `DECLINED` (NODE `TssV2TransactionsGet200Response.md`: `status` "may not be
 * returned for all transactions"); '' otherwise, and the row waits for the next pass.
 */
export function statusOf(d: TransactionDetails): string {
  const shown = d.status ?? d.applicationInformation?.status;
  if (shown === undefined)
    return decidedByProfile(d) || softDeclinedByReplyCode(d) || declinedByReplyCode(d);
  // A status that reads as paid is not taken over Decision Manager's own verdict on a sale it
  // stopped before the capture (no successful `ics_bill`): a record's `PENDING` can describe its
  // authorization alone (a real auth-only record: `ics_auth` `1`, no `ics_bill`,
  // applicationInformation.status `PENDING`), and a review read as paid would fulfil an order the
  // reviewer may still reject. [Decision, API-FACTS §2.5: with no verdict, the status stands; an
  // accepted review captures, and the capture shows.] Undone states (REVERSED, VOIDED) stand.
  if (READS_AS_PAID.has(shown) && !captured(d))
    return decidedByProfile(d) || softDeclinedByReplyCode(d) || shown;
  return shown;
}

/**
 * Simple Order reason codes of a soft decline, as the REST reasons they answer (API-FACTS §6:
 * 200 `AVS_FAILED` and 201 `CONTACT_PROCESSOR` confirmed by `responsecode.json`, 230 `CV_FAILED`
 * [inferred]). Transaction Details documents no `errorInformation`, so a soft decline whose
 * answer was lost may be known by its record's reason code alone.
 */
const SOFT_DECLINE_CODES: Readonly<Record<string, string>> = {
  '200': 'AVS_FAILED',
  '201': 'CONTACT_PROCESSOR',
  '230': 'CV_FAILED',
};

/** Why a found record declined or was held: its `errorInformation`, else its reason code's. */
export function replyReason(d: TransactionDetails): string | undefined {
  const code = d.applicationInformation?.reasonCode;
  return d.errorInformation?.reason ?? (code ? SOFT_DECLINE_CODES[code] : undefined);
}

/**
 * A sale the issuer approved and CyberSource's own check refused, known by its reason code with
 * a successful `ics_auth` and no capture: it answered `AUTHORIZED_PENDING_REVIEW` (with the
 * reason `replyReason` gives), a soft decline (checkout/decline-kinds.ts).
 */
function softDeclinedByReplyCode(d: TransactionDetails): string {
  const code = d.applicationInformation?.reasonCode;
  const apps = d.applicationInformation?.applications ?? [];
  const authorized = apps.some((a) => a.name === 'ics_auth' && a.rCode === '1');
  return code && SOFT_DECLINE_CODES[code] && authorized && !captured(d)
    ? 'AUTHORIZED_PENDING_REVIEW'
    : '';
}

/**
 * What a found sale's status reads as when it means authorized and captured: our payments are
 * sales (`capture: true`), and a sale's record may show its capture's state rather than the
 * authorization's, `PENDING` until settlement, `TRANSMITTED` for online-capture merchants
 * (API-FACTS §2.5, capture statuses). [Decision: API-FACTS has no Transaction Details schema for
 * a sale; reading these as approved beats leaving a charged payment `unknown` for good.]
 */
export const READS_AS_PAID: ReadonlySet<string> = new Set(['AUTHORIZED', 'PENDING', 'TRANSMITTED']);

const captured = (d: TransactionDetails) =>
  (d.applicationInformation?.applications ?? []).some(
    (a) => a.name === 'ics_bill' && a.rCode === '1',
  );

/**
 * Decision Manager's verdict on a record without a status, as the Payments status it answered:
 * a reject (reply flag `DREJECT`, reason code 481) after a successful `ics_auth` leaves the
 * authorization standing uncaptured, `AUTHORIZED_RISK_DECLINED` (its hold is then released,
 * release-hold.ts); a reject before any authorization is `DECLINED`. A review (`DREVIEW`, 480)
 * after one is `AUTHORIZED_PENDING_REVIEW`. The reject's shape is a real sandbox search summary
 * (2024, a Visa Acceptance plugin's recorded answer): top level 481 / `0` / `DREJECT`,
 * `ics_decision` `0` / `DREJECT`, `ics_auth` `1` / `SOK`, no status; the review's follows the
 * same Simple Order flags [inferred].
 */
function decidedByProfile(d: TransactionDetails): string {
  const info = d.applicationInformation;
  const apps = info?.applications ?? [];
  const flagged = (flag: string) =>
    info?.rFlag === flag ||
    apps.some((a) => a.name?.startsWith('ics_decision') && a.rFlag === flag);
  const authorized = apps.some((a) => a.name === 'ics_auth' && a.rCode === '1');
  if (flagged('DREJECT')) return authorized ? 'AUTHORIZED_RISK_DECLINED' : 'DECLINED';
  if (flagged('DREVIEW') && authorized) return 'AUTHORIZED_PENDING_REVIEW';
  return '';
}

/**
 * A Simple Order reply code of 0 ("declined"; 1 succeeded, -1 error) on the authorization, the
 * capture or the credit is final: no money moved, whatever else the record would say. A 1 is not
 * read as approved: a sale held for review shows a successful `ics_auth` with no capture, and a
 * sale or refund we voided keeps its own successful codes (the void is another transaction), so
 * reading either as paid could record money that never moved.
 */
function declinedByReplyCode(d: TransactionDetails): string {
  const apps = d.applicationInformation?.applications ?? [];
  const declined = apps.some(
    (a) => a.rCode === '0' && ['ics_auth', 'ics_bill', 'ics_credit'].includes(a.name ?? ''),
  );
  return declined ? 'DECLINED' : '';
}

/** A payment row's sale (or renewal), by its reference code and transaction id. */
export function lookUpPayment(
  ctx: CheckoutContext,
  row: PaymentRow,
  requestId: string,
): Promise<Lookup> {
  const ref = {
    code: row.reference_code,
    transactionId: row.transaction_id,
    createdAt: row.created_at,
  };
  return lookUp(ctx, { ...ref, application: 'ics_auth' }, requestId);
}
