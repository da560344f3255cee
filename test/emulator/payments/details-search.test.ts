import { beforeEach, describe, expect, it } from 'vitest';
import {
  PaymentResponse,
  SearchResponse,
  TransactionDetails,
} from '../../../cybersource/payments/index.ts';
import { PaymentsStore, SEARCHES_KEPT } from '../../../emulator/payments/store.ts';
import { SAMPLE_SEARCH } from '../../fixtures/official-samples.ts';
import { amount, cardPayment, setup } from './setup.ts';

const t = setup();

describe('reading transactions back', () => {
  beforeEach(() => t.reset());

  it('GET /tss/v2/transactions/{id} names the tokens a TOKEN_CREATE payment created in tokenInformation', async () => {
    const tokenCreate = (types: string[]) => ({
      processingInformation: {
        capture: true,
        actionList: ['TOKEN_CREATE'],
        actionTokenTypes: types,
      },
    });
    const first = await t.post(
      '/pts/v2/payments',
      cardPayment({
        extra: tokenCreate(['customer', 'paymentInstrument', 'instrumentIdentifier']),
      }),
    );
    const created = first.body.tokenInformation;
    const d1 = (await t.call(`/tss/v2/transactions/${first.body.id}`)).body;
    expect(d1.tokenInformation).toEqual({
      customer: { id: created.customer.id },
      paymentInstrument: { id: created.paymentInstrument.id },
      instrumentIdentifier: { id: created.instrumentIdentifier.id },
    });

    const second = cardPayment({
      number: '5555555555554444',
      extra: tokenCreate(['paymentInstrument', 'instrumentIdentifier']),
    });
    (second.paymentInformation as any).customer = { id: created.customer.id };
    const added = await t.post('/pts/v2/payments', second);
    const d2 = (await t.call(`/tss/v2/transactions/${added.body.id}`)).body;
    expect(d2.tokenInformation.customer).toBeUndefined();
    expect(d2.tokenInformation.paymentInstrument).toEqual({
      id: added.body.tokenInformation.paymentInstrument.id,
    });
    expect(d2.paymentInformation.customer).toEqual({ id: created.customer.id });

    const plain = await t.post('/pts/v2/payments', cardPayment());
    expect((await t.call(`/tss/v2/transactions/${plain.body.id}`)).body.tokenInformation).toBe(
      undefined,
    );
  });

  it('GET /tss/v2/transactions/{id} shows a sale with its refunds and refund balance', async () => {
    const sale = await t.post(
      '/pts/v2/payments',
      cardPayment({ amount: '50.00', capture: true, transactionId: 'tx-1' }),
    );
    const refund = await t.post(`/pts/v2/payments/${sale.body.id}/refunds`, amount('20.00'));
    const r = await t.call(`/tss/v2/transactions/${sale.body.id}`);
    expect(r.status).toBe(200);
    const d = TransactionDetails.parse(r.body);
    // The code only: a record echoes no transactionId (NODE
    // TssV2TransactionsGet200ResponseClientReferenceInformation.md), though the sale sent one.
    expect(r.body.clientReferenceInformation).toEqual({ code: 'order-1' });
    expect(d).toMatchObject({
      id: sale.body.id,
      rootId: sale.body.id,
      merchantId: 'testrest',
      submitTimeUTC: '2026-03-10T12:00:00Z',
      // As a real record: the status under applicationInformation, none at the top, and the
      // reason code a number there (read as a string).
      applicationInformation: { status: 'AUTHORIZED', reasonCode: '100' },
      clientReferenceInformation: { code: 'order-1' },
      orderInformation: {
        amountDetails: {
          totalAmount: '50.00',
          authorizedAmount: '50.00',
          currency: 'USD',
          refundBalance: '30.00',
        },
      },
      paymentInformation: {
        card: {
          prefix: '411111',
          suffix: '1111',
          type: '001',
          expirationMonth: '12',
          expirationYear: '2031',
        },
      },
    });
    expect(r.body).not.toHaveProperty('status');
    expect(r.body.applicationInformation.reasonCode).toBe(100);
    expect(d.applicationInformation?.applications?.map((a) => a.name)).toEqual([
      'ics_auth',
      'ics_bill',
    ]);
    expect(d._links?.relatedTransactions).toEqual([
      { method: 'GET', href: `/tss/v2/transactions/${refund.body.id}` },
    ]);
    const ofRefund = await t.call(`/tss/v2/transactions/${refund.body.id}`);
    expect(ofRefund.body).toMatchObject({
      rootId: sale.body.id,
      applicationInformation: { status: 'PENDING' },
    });
  });

  it('GET /pts/v2/payments/{id} answers the payment with submitTimeUtc and its status now', async () => {
    const auth = await t.post('/pts/v2/payments', cardPayment({ amount: '10.00' }));
    await t.post(`/pts/v2/payments/${auth.body.id}/reversals`, {
      reversalInformation: { amountDetails: { totalAmount: '10.00' } },
    });
    const r = await t.call(`/pts/v2/payments/${auth.body.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: auth.body.id,
      status: 'REVERSED',
      submitTimeUtc: '2026-03-10T12:00:00Z',
    });
    expect(r.body._links.self).toEqual({ method: 'GET', href: `/pts/v2/payments/${auth.body.id}` });
    expect(PaymentResponse.safeParse(r.body).success).toBe(false); // REVERSED is not a POST status
  });

  it.each([
    ['/tss/v2/transactions/0000000000000000000000'],
    ['/pts/v2/payments/0000000000000000000000'],
    ['/pts/v2/captures/0000000000000000000000'],
  ])('answers 404 for %s', async (path) => {
    const r = await t.call(path);
    expect(r.status).toBe(404);
    expect(r.body.status).toBe('NOT_FOUND');
  });

  it('GET /pts/v2/captures/{id} only finds captures', async () => {
    const auth = await t.post('/pts/v2/payments', cardPayment());
    expect((await t.call(`/pts/v2/captures/${auth.body.id}`)).status).toBe(404);
  });
});

describe('POST /tss/v2/searches', () => {
  beforeEach(() => t.reset());

  it('finds payments by clientReferenceInformation.code with the official sample’s query', async () => {
    await t.post('/pts/v2/payments', cardPayment({ code: 'TC50171_3' }));
    t.advance(1000);
    await t.post('/pts/v2/payments', cardPayment({ code: 'TC50171_3', amount: '5.00' }));
    await t.post('/pts/v2/payments', cardPayment({ code: 'other' }));
    const r = await t.post('/tss/v2/searches', SAMPLE_SEARCH);
    expect(r.status).toBe(201);
    const body = SearchResponse.parse(r.body);
    expect(body.totalCount).toBe(2);
    expect(body.count).toBe(2);
    const summaries = body._embedded?.transactionSummaries ?? [];
    expect(summaries.every((s) => s.clientReferenceInformation?.code === 'TC50171_3')).toBe(true);
    expect(summaries[0]?._links?.transactionDetail?.href).toBe(
      `/tss/v2/transactions/${summaries[0]?.id}`,
    );
    // Not saved, yet read back by its id, as the official get-search-results.js does.
    const unsaved = await t.call(`/tss/v2/searches/${body.searchId}`);
    expect(unsaved.status).toBe(200);
    expect(unsaved.body).toEqual(r.body);
    const saved = await t.post('/tss/v2/searches', {
      save: true,
      query: 'clientReferenceInformation.code:TC50171_3',
    });
    const { searchId } = SearchResponse.parse(saved.body);
    expect(searchId).toEqual(expect.any(String));
    const again = await t.call(`/tss/v2/searches/${searchId}`);
    expect(again.body).toEqual(saved.body);
  });

  it('keeps the latest searches to replay, not every search ever made', () => {
    const store = new PaymentsStore();
    for (let i = 0; i <= SEARCHES_KEPT; i++)
      store.keepSearch(`s${i}`, { merchantId: 'm', body: i });
    expect(store.searches.size).toBe(SEARCHES_KEPT);
    expect(store.searches.has('s0')).toBe(false);
    expect(store.searches.get(`s${SEARCHES_KEPT}`)?.body).toBe(SEARCHES_KEPT);
  });

  it('sorts newest first by default and pages with limit/offset', async () => {
    for (const a of ['1.00', '2.00', '3.00']) {
      await t.post('/pts/v2/payments', cardPayment({ code: 'paged', amount: a }));
      t.advance(1000);
    }
    const r = await t.post('/tss/v2/searches', {
      query: 'clientReferenceInformation.code:paged',
      limit: 2,
      offset: 1,
    });
    expect(r.body.totalCount).toBe(3);
    expect(
      r.body._embedded.transactionSummaries.map(
        (s: any) => s.orderInformation.amountDetails.totalAmount,
      ),
    ).toEqual(['2.00', '1.00']);
  });

  it('excludes transactions outside the submitTimeUtc range', async () => {
    await t.post('/pts/v2/payments', cardPayment({ code: 'old' }));
    t.advance(9 * 86_400_000);
    const r = await t.post('/tss/v2/searches', {
      query:
        'clientReferenceInformation.code:old AND submitTimeUtc:[NOW/DAY-7DAYS TO NOW/DAY+1DAY}',
    });
    expect(r.body.totalCount).toBe(0);
  });

  it('excludes transactions after the upper bound of the submitTimeUtc range', async () => {
    await t.post('/pts/v2/payments', cardPayment({ code: 'new' }));
    const count = async (range: string) =>
      (
        await t.post('/tss/v2/searches', {
          query: `clientReferenceInformation.code:new AND submitTimeUtc:${range}`,
        })
      ).body.totalCount;
    expect(await count('[NOW-7DAYS TO NOW-1DAY]')).toBe(0);
    expect(await count('[NOW-7DAYS TO NOW}')).toBe(0);
    expect(await count('[NOW-7DAYS TO NOW]')).toBe(1);
  });

  it.each([
    ['an unsupported field', 'orderInformation.billTo.email:a@b.c', 'query'],
    ['a malformed range', 'submitTimeUtc:[yesterday TO now}', 'query'],
  ])('refuses %s', async (_, query, field) => {
    const r = await t.post('/tss/v2/searches', { query });
    expect(r.status).toBe(400);
    expect(r.body.details).toEqual([{ field, reason: 'INVALID_DATA' }]);
  });

  it('refuses a search without a query', async () => {
    const r = await t.post('/tss/v2/searches', { limit: 5 });
    expect(r.body.details).toEqual([{ field: 'query', reason: 'MISSING_FIELD' }]);
  });
});
