import { beforeEach, describe, expect, it } from 'vitest';
import { cardPayment, setup } from './setup.ts';

const t = setup();

const cit = {
  processingInformation: {
    capture: true,
    commerceIndicator: 'internet',
    authorizationOptions: { initiator: { credentialStoredOnFile: true } },
    recurringOptions: { firstRecurringPayment: true },
  },
};

/** A renewal's fields; without an id, as with TMS tokens CyberSource needs none. */
const mit = (previousTransactionId?: string) => ({
  processingInformation: {
    capture: true,
    commerceIndicator: 'recurring',
    authorizationOptions: {
      initiator: {
        type: 'merchant',
        storedCredentialUsed: true,
        merchantInitiatedTransaction: {
          ...(previousTransactionId ? { previousTransactionId } : {}),
          reason: '7',
        },
      },
    },
  },
});

describe('stored credentials: CIT then MIT (API-FACTS §2.4)', () => {
  beforeEach(() => t.reset());

  it('accepts a renewal naming the first payment’s network transaction id', async () => {
    const first = await t.post('/pts/v2/payments', cardPayment({ extra: cit }));
    const ntid = first.body.processorInformation.networkTransactionId;
    const renewal = await t.post('/pts/v2/payments', cardPayment({ extra: mit(ntid) }));
    expect(renewal.status).toBe(201);
    expect(renewal.body.status).toBe('AUTHORIZED');
    // a renewal's own id can anchor the next one
    const next = await t.post(
      '/pts/v2/payments',
      cardPayment({ extra: mit(renewal.body.processorInformation.networkTransactionId) }),
    );
    expect(next.body.status).toBe('AUTHORIZED');
  });

  it('remembers the CIT network transaction id on the vaulted instrument identifier', async () => {
    const body = cardPayment({
      extra: {
        processingInformation: {
          ...cit.processingInformation,
          actionList: ['TOKEN_CREATE'],
          actionTokenTypes: ['customer', 'paymentInstrument', 'instrumentIdentifier'],
        },
      },
    });
    const r = await t.post('/pts/v2/payments', body);
    const ii = t.emulator.state.tms.instrumentIdentifiers.get(
      r.body.tokenInformation.instrumentIdentifier.id,
    );
    expect(ii?.previousTransactionId).toBe(r.body.processorInformation.networkTransactionId);
  });

  it('accepts an id it never issued (a credential migrated from another processor)', async () => {
    // CyberSource's MIT samples (mit-recurring.js) cite this made-up id with a raw card.
    const r = await t.post('/pts/v2/payments', cardPayment({ extra: mit('123456789012345') }));
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('AUTHORIZED');
  });

  it.each([
    [
      'a payment that did not store the card',
      async () =>
        (await t.post('/pts/v2/payments', cardPayment())).body.processorInformation
          .networkTransactionId,
    ],
    [
      'another card’s payment',
      async () =>
        (await t.post('/pts/v2/payments', cardPayment({ number: '5555555555554444', extra: cit })))
          .body.processorInformation.networkTransactionId,
    ],
  ])('refuses a previousTransactionId that is %s', async (_, previous) => {
    const r = await t.post('/pts/v2/payments', cardPayment({ extra: mit(await previous()) }));
    expect(r.status).toBe(400);
    expect(r.body.details).toEqual([
      {
        field:
          'processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction.previousTransactionId',
        reason: 'INVALID_DATA',
      },
    ]);
  });

  /** A card kept by a sale, `stored` marking it a stored credential (CIT): its TMS tokens. */
  async function kept(stored: boolean, number = '4111111111111111') {
    const r = await t.post(
      '/pts/v2/payments',
      cardPayment({
        number,
        extra: {
          processingInformation: {
            ...(stored ? cit.processingInformation : { capture: true }),
            actionList: ['TOKEN_CREATE'],
            actionTokenTypes: ['customer', 'paymentInstrument', 'instrumentIdentifier'],
          },
        },
      }),
    );
    return r.body as Record<string, any>;
  }
  const renewalWith = (tokens: Record<string, any>) =>
    t.post('/pts/v2/payments', {
      clientReferenceInformation: { code: 'renewal' },
      ...mit(),
      paymentInformation: {
        customer: { id: tokens.customer.id },
        paymentInstrument: { id: tokens.paymentInstrument.id },
      },
      orderInformation: { amountDetails: { totalAmount: '10.00', currency: 'USD' } },
    });
  const FIELD =
    'processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction.previousTransactionId';

  it('takes a renewal with TMS tokens and no previousTransactionId: TMS keeps the id (MIT with TMS required fields)', async () => {
    const renewal = await renewalWith((await kept(true)).tokenInformation);
    expect([renewal.status, renewal.body.status]).toEqual([201, 'AUTHORIZED']);
    // With a card number there is no TMS to ask: still required.
    const pan = await t.post('/pts/v2/payments', cardPayment({ extra: mit() }));
    expect([pan.status, pan.body.details]).toEqual([
      400,
      [{ field: FIELD, reason: 'MISSING_FIELD' }],
    ]);
  });

  it('refuses a renewal with TMS tokens when TMS keeps no id either (a card never stored as a credential)', async () => {
    const r = await renewalWith((await kept(false)).tokenInformation);
    expect([r.status, r.body.details]).toEqual([400, [{ field: FIELD, reason: 'MISSING_FIELD' }]]);
  });

  it('checks the id TMS keeps as a sent one: another card’s payment is refused', async () => {
    const card = await kept(true);
    const other = await kept(true, '5555555555554444');
    const ii = t.emulator.state.tms.instrumentIdentifiers.get(
      card.tokenInformation.instrumentIdentifier.id,
    );
    if (!ii) throw new Error('no instrument identifier');
    ii.previousTransactionId = other.processorInformation.networkTransactionId;
    const r = await renewalWith(card.tokenInformation);
    expect([r.status, r.body.details]).toEqual([400, [{ field: FIELD, reason: 'INVALID_DATA' }]]);
  });

  it('requires storedCredentialUsed and previousTransactionId on a merchant-initiated payment', async () => {
    const body = cardPayment({
      extra: {
        processingInformation: {
          authorizationOptions: { initiator: { type: 'merchant', storedCredentialUsed: true } },
        },
      },
    });
    const r = await t.post('/pts/v2/payments', body);
    expect(r.body.reason).toBe('MISSING_FIELD');
    const noFlag = cardPayment({
      extra: {
        processingInformation: { authorizationOptions: { initiator: { type: 'merchant' } } },
      },
    });
    expect((await t.post('/pts/v2/payments', noFlag)).body.details[0].field).toBe(
      'processingInformation.authorizationOptions.initiator.storedCredentialUsed',
    );
  });
});
