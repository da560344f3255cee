/**
 * @module `POST /tss/v2/searches` (201) and `GET /tss/v2/searches/{searchId}` (NODE
 * `SearchTransactionsApi.md`). Results are this merchant's transactions of every kind; default
 * sort `submitTimeUtc:desc` [inferred]; `limit` default 20, maximum 2500 (SDK docs). Answered as
 * `application/json;charset=utf-8`, what the 2020 spec's createSearch `produces` and the SDK's
 * `SearchTransactionsApi` accepts (not the HAL type of the Payments API and Transaction Details).
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { SearchRequest } from '../../cybersource/payments/index.ts';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { jsonUtf8 } from '../http/respond.ts';
import { rootOf } from './details.ts';
import { detailsBody } from './details-body.ts';
import { fieldError, notFound } from './errors.ts';
import { link } from './links.ts';
import { parseQuery, type Term } from './search-query.ts';
import type { PaymentsStore, Txn } from './store.ts';
import { parseBody } from './validate.ts';

function matches(t: Txn, term: Term): boolean {
  switch (term.field) {
    case 'clientReferenceInformation.code':
      return t.clientReference.code === term.value;
    case 'id':
      return t.id === term.value;
    case 'merchantId':
      return t.merchantId === term.value;
    case 'submitTimeUtc': {
      const at = t.submittedAt.getTime();
      const afterFrom = term.fromInclusive ? at >= term.from : at > term.from;
      const beforeTo = term.toInclusive ? at <= term.to : at < term.to;
      return afterFrom && beforeTo;
    }
  }
}

function sorter(sort: string | undefined): ((a: Txn, b: Txn) => number) | undefined {
  const keys = (sort ?? 'submitTimeUtc:desc').split(',').map((s) => s.trim().split(':'));
  if (keys.some(([k, d]) => (k !== 'id' && k !== 'submitTimeUtc') || (d !== 'asc' && d !== 'desc')))
    return undefined;
  return (a, b) => {
    for (const [k, d] of keys) {
      const x =
        k === 'id' ? a.id.localeCompare(b.id) : a.submittedAt.getTime() - b.submittedAt.getTime();
      if (x !== 0) return d === 'asc' ? x : -x;
    }
    return 0;
  };
}

/** The fields of `obj` named in `keys` that it has. */
function pick(obj: unknown, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof obj !== 'object' || obj === null) return out;
  for (const k of keys) {
    const v = (obj as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * A summary carries less than the record: of the amounts only `totalAmount` and `currency`, of
 * the card `suffix`, `prefix` and `type`, of the processor only `approvalCode` (the 2020 spec's
 * `transactionSummaries` and NODE `TssV2TransactionsPost201ResponseEmbedded*.md`; the rest,
 * e.g. `refundBalance` or the network transaction id, is read from Transaction Details).
 */
function summary(store: PaymentsStore, t: Txn) {
  const d = detailsBody(t, rootOf(store, t));
  const card = pick(pick(d.paymentInformation, ['card']).card, ['suffix', 'prefix', 'type']);
  const processor = pick(d.processorInformation, ['approvalCode']);
  const amounts = pick(pick(d.orderInformation, ['amountDetails']).amountDetails, [
    'totalAmount',
    'currency',
  ]);
  return {
    id: t.id,
    submitTimeUtc: t.submitTimeUtc,
    merchantId: t.merchantId,
    applicationInformation: d.applicationInformation,
    clientReferenceInformation: d.clientReferenceInformation,
    orderInformation: { amountDetails: amounts },
    ...(Object.keys(card).length > 0 ? { paymentInformation: { card } } : {}),
    ...(Object.keys(processor).length > 0 ? { processorInformation: processor } : {}),
    _links: { transactionDetail: link('GET', `/tss/v2/transactions/${t.id}`) },
  };
}

export function createSearch({ state }: EmulatorDeps) {
  return async (c: Context<EmulatorEnv>): Promise<Response> => {
    const parsed = await parseBody(c, SearchRequest, () => state.submitTimeUtc());
    if (!parsed.ok) return parsed.response;
    const req = parsed.value;
    const terms = parseQuery(req.query, state.now());
    if (!terms) return fieldError(c, state.submitTimeUtc(), 'query');
    const order = sorter(req.sort);
    if (!order) return fieldError(c, state.submitTimeUtc(), 'sort');
    const merchantId = c.get('merchantId');
    const hits = state.payments
      .all(merchantId)
      .filter((t) => terms.every((term) => matches(t, term)))
      .sort(order);
    const offset = req.offset ?? 0;
    const limit = req.limit ?? 20;
    const page = hits.slice(offset, offset + limit);
    // Every answer carries an id to read it again by. NODE `TssV2TransactionsPost201Response.md`
    // says `save: true` "returns `searchID`", but the spec's createSearch example answers
    // `"save": "false"` with a `searchId` and a self link, and the official sample
    // `get-search-results.js` creates a search with `save: false` and reads it back by that id.
    // [Decision: follow the example and the sample; `save` is echoed.] Only the latest
    // SEARCHES_KEPT answers are kept, as a long-running emulator is searched on every lookup.
    const searchId = randomUUID();
    const body = {
      searchId,
      save: req.save ?? false,
      ...(req.name ? { name: req.name } : {}),
      ...(req.timezone ? { timezone: req.timezone } : {}),
      query: req.query,
      offset,
      limit,
      sort: req.sort ?? 'submitTimeUtc:desc',
      count: page.length,
      totalCount: hits.length,
      submitTimeUtc: state.submitTimeUtc(),
      _embedded: { transactionSummaries: page.map((t) => summary(state.payments, t)) },
      _links: { self: link('GET', `/tss/v2/searches/${searchId}`) },
    };
    state.payments.keepSearch(searchId, { merchantId, body });
    return jsonUtf8(c, body, 201);
  };
}

export function getSearch({ state }: EmulatorDeps) {
  return (c: Context<EmulatorEnv>): Response => {
    const saved = state.payments.searches.get(c.req.param('searchId') ?? '');
    if (!saved || saved.merchantId !== c.get('merchantId'))
      return notFound(c, state.submitTimeUtc());
    return jsonUtf8(c, saved.body, 200);
  };
}
