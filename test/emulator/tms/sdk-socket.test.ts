/**
 * Every TMS endpoint driven over a real socket by CyberSource's official Node SDK, unmodified:
 * it signs `apitest.cybersource.com` and connects through `intermediateHost`.
 */
import cybersource from 'cybersource-rest-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_MERCHANT } from '../../../emulator/config.ts';
import { type RunningEmulator, startEmulator } from '../../../emulator/server.ts';
import { CARDS } from './harness.ts';

let emulator: RunningEmulator;

interface SdkResult {
  error: { status?: number; response?: { text?: string } } | null;
  data: any;
  response: { status: number; text?: string; header?: Record<string, string> } | undefined;
}

function sdk(Api: string, method: string, ...args: unknown[]): Promise<SdkResult> {
  const config = {
    authenticationType: 'http_signature',
    runEnvironment: 'apitest.cybersource.com',
    merchantID: SAMPLE_MERCHANT.merchantId,
    merchantKeyId: SAMPLE_MERCHANT.keyId,
    merchantsecretKey: SAMPLE_MERCHANT.secretBase64,
    intermediateHost: emulator.url,
    logConfiguration: { enableLog: false },
  };
  const api = new cybersource[Api](config, new cybersource.ApiClient());
  return new Promise((resolve) => {
    api[method](
      ...args,
      (error: SdkResult['error'], data: unknown, response: SdkResult['response']) => {
        for (const pan of Object.values(CARDS)) expect(response?.text ?? '').not.toContain(pan);
        resolve({ error, data, response });
      },
    );
  });
}

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

describe('official SDK drives every TMS endpoint over HTTP', () => {
  it('instrument identifiers and stand-alone payment instruments', async () => {
    const created = await sdk(
      'InstrumentIdentifierApi',
      'postInstrumentIdentifier',
      { card: { number: CARDS.visa } },
      {},
    );
    expect(created.error).toBeNull();
    expect(created.response?.status).toBe(201);
    const iiId = created.data.id;
    expect(created.data.card.number).toBe('411111XXXXXX1111');

    const again = await sdk(
      'InstrumentIdentifierApi',
      'postInstrumentIdentifier',
      { card: { number: CARDS.visa } },
      {},
    );
    expect(again.response?.status).toBe(200);
    expect(again.data.id).toBe(iiId);

    const patched = await sdk(
      'InstrumentIdentifierApi',
      'patchInstrumentIdentifier',
      iiId,
      {
        processingInformation: {
          authorizationOptions: {
            initiator: {
              merchantInitiatedTransaction: { previousTransactionId: '123456789619999' },
            },
          },
        },
      },
      {},
    );
    expect(patched.error).toBeNull();
    expect(
      patched.data.processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction
        .previousTransactionId,
    ).toBe('123456789619999');

    const pi = await sdk(
      'PaymentInstrumentApi',
      'postPaymentInstrument',
      {
        card: { expirationMonth: '12', expirationYear: '2031', type: '001' },
        instrumentIdentifier: { id: iiId },
      },
      {},
    );
    expect(pi.error).toBeNull();
    expect(pi.response?.status).toBe(201);

    const list = await sdk(
      'InstrumentIdentifierApi',
      'getInstrumentIdentifierPaymentInstrumentsList',
      iiId,
      { offset: 0, limit: 10 },
    );
    expect(list.error).toBeNull();
    expect(list.data.total).toBe(1);
    expect(list.data._embedded.paymentInstruments[0].id).toBe(pi.data.id);

    const refused = await sdk('InstrumentIdentifierApi', 'deleteInstrumentIdentifier', iiId, {});
    expect(refused.error?.status).toBe(409);

    const got = await sdk('PaymentInstrumentApi', 'getPaymentInstrument', pi.data.id, {});
    expect(got.data.instrumentIdentifier.id).toBe(iiId);
    const piPatched = await sdk(
      'PaymentInstrumentApi',
      'patchPaymentInstrument',
      pi.data.id,
      { card: { expirationYear: '2032' } },
      {},
    );
    expect(piPatched.data.card.expirationYear).toBe('2032');
    expect(
      (await sdk('PaymentInstrumentApi', 'deletePaymentInstrument', pi.data.id, {})).response
        ?.status,
    ).toBe(204);

    const gone = await sdk('InstrumentIdentifierApi', 'getInstrumentIdentifier', iiId, {});
    expect(gone.error?.status).toBe(410);
  });

  it('customers and their payment instruments', async () => {
    const customer = await sdk(
      'CustomerApi',
      'postCustomer',
      {
        buyerInformation: { merchantCustomerID: 'sdk-tms', email: 'test@cybs.com' },
        clientReferenceInformation: { code: 'TC50171_3' },
        merchantDefinedInformation: [{ name: 'data1', value: 'Your customer data' }],
      },
      {},
    );
    expect(customer.error).toBeNull();
    expect(customer.response?.status).toBe(201);
    const cid = customer.data.id;

    const ids: string[] = [];
    for (const number of [CARDS.visa, CARDS.mastercard]) {
      const ii = await sdk(
        'InstrumentIdentifierApi',
        'postInstrumentIdentifier',
        { card: { number } },
        {},
      );
      const pi = await sdk(
        'CustomerPaymentInstrumentApi',
        'postCustomerPaymentInstrument',
        cid,
        {
          card: { expirationMonth: '12', expirationYear: '2031', type: '001' },
          instrumentIdentifier: { id: ii.data.id },
        },
        {},
      );
      expect(pi.error).toBeNull();
      ids.push(pi.data.id);
    }
    const list = await sdk(
      'CustomerPaymentInstrumentApi',
      'getCustomerPaymentInstrumentsList',
      cid,
      { offset: 0, limit: 1 },
    );
    expect(list.error).toBeNull();
    expect(list.data).toMatchObject({ offset: 0, limit: 1, count: 1, total: 2 });
    expect(list.data._embedded.paymentInstruments[0].id).toBe(ids[0]);
    expect(list.data._links.next.href).toContain('offset=1');

    const one = await sdk(
      'CustomerPaymentInstrumentApi',
      'getCustomerPaymentInstrument',
      cid,
      ids[1],
      {},
    );
    expect(one.data.default).toBe(false);
    expect(one.data._embedded.instrumentIdentifier.card.number).toBe('555555XXXXXX4444');

    const moved = await sdk(
      'CustomerPaymentInstrumentApi',
      'patchCustomersPaymentInstrument',
      cid,
      ids[1],
      { default: true },
      {},
    );
    expect(moved.error).toBeNull();
    expect(moved.data.default).toBe(true);

    const read = await sdk('CustomerApi', 'getCustomer', cid, {});
    expect(read.data.defaultPaymentInstrument.id).toBe(ids[1]);
    const back = await sdk(
      'CustomerApi',
      'patchCustomer',
      cid,
      { defaultPaymentInstrument: { id: ids[0] } },
      {},
    );
    expect(back.data.defaultPaymentInstrument.id).toBe(ids[0]);

    const refused = await sdk(
      'CustomerPaymentInstrumentApi',
      'deleteCustomerPaymentInstrument',
      cid,
      ids[0],
      {},
    );
    expect(refused.error?.status).toBe(409);
    expect(
      (
        await sdk(
          'CustomerPaymentInstrumentApi',
          'deleteCustomerPaymentInstrument',
          cid,
          ids[1],
          {},
        )
      ).response?.status,
    ).toBe(204);
    expect((await sdk('CustomerApi', 'deleteCustomer', cid, {})).response?.status).toBe(204);

    const missing = await sdk('CustomerApi', 'getCustomer', cid, {});
    expect(missing.error?.status).toBe(410);
    const unknown = await sdk('CustomerApi', 'getCustomer', 'F2F3ADA770102B51E053A2598D0A9078', {});
    expect(unknown.error?.status).toBe(404);
    expect(JSON.parse(unknown.error?.response?.text ?? '{}')).toEqual({
      errors: [{ type: 'notFound', message: 'Token not found' }],
    });
  });
});
