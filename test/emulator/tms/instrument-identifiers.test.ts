import { beforeEach, describe, expect, it } from 'vitest';
import { InstrumentIdentifierBody } from '../../../cybersource/tms/instrument-identifiers/index.ts';
import { InstrumentIdentifierDeletionConflict } from '../../../cybersource/tms/instrument-identifiers/schemas.ts';
import { PaymentInstrumentListBody } from '../../../cybersource/tms/payment-instruments/index.ts';
import { createEmulator } from '../../../emulator/app.ts';
import { inProcessFetch } from '../../../emulator/in-process.ts';
import { cybersourceCaller } from '../../helpers/cybersource-request.ts';
import { CARDS, tmsHarness } from './harness.ts';

const { call, reset } = tmsHarness();
const II = '/tms/v1/instrumentidentifiers';

describe('instrument identifiers', () => {
  beforeEach(reset);

  it('creates with 201, masks the number, and answers the same id with 200 for the same card', async () => {
    const first = await call(II, { body: { card: { number: CARDS.visa } } });
    expect(first.status).toBe(201);
    expect(first.headers.get('content-type')).toBe('application/json;charset=utf-8');
    const ii = InstrumentIdentifierBody.parse(first.body);
    expect(ii).toMatchObject({
      object: 'instrumentIdentifier',
      state: 'ACTIVE',
      card: { number: '411111XXXXXX1111' },
      metadata: { creator: 'testrest' },
    });
    expect(ii.id).toMatch(/^\d{19}$/);
    expect(ii.issuer?.paymentAccountReference).toHaveLength(29);
    expect(first.headers.get('location')).toBe(`http://localhost:4010${II}/${ii.id}`);
    expect(ii._links?.paymentInstruments?.href).toBe(
      `http://localhost:4010${II}/${ii.id}/paymentinstruments`,
    );
    expect(first.headers.get('uniquetransactionid')).toMatch(/^[0-9A-F]{32}$/);

    const again = await call(II, { body: { card: { number: CARDS.visa } } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(ii.id);

    const other = await call(II, { body: { card: { number: CARDS.mastercard } } });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(ii.id);
  });

  it.each([
    ['amex, 15 digits', CARDS.amex, '378282XXXXX0005'],
    ['discover', CARDS.discover, '601111XXXXXX1117'],
  ])('masks %s', async (_name, number, masked) => {
    const r = await call(II, { body: { card: { number } } });
    expect(r.body.card.number).toBe(masked);
  });

  it.each([
    [
      'fails Luhn',
      { card: { number: '4111111111111112' } },
      'invalidFields',
      [{ name: 'number', location: 'card' }],
    ],
    [
      'has letters',
      { card: { number: '4111-1111-1111-1111' } },
      'invalidFields',
      [{ name: 'number', location: 'card' }],
    ],
    [
      'is too short',
      { card: { number: '41111111111' } },
      'invalidFields',
      [{ name: 'number', location: 'card' }],
    ],
    ['has no card', {}, 'missingFields', [{ name: 'card' }]],
    ['has no number', { card: {} }, 'missingFields', [{ name: 'number', location: 'card' }]],
    [
      'has an unknown field',
      { card: { number: CARDS.visa, cvv: '123' } },
      'unknownField',
      [{ name: 'cvv', location: 'card' }],
    ],
    [
      'sends a read-only id',
      { id: '7010000000016241111', card: { number: CARDS.visa } },
      'unknownField',
      [{ name: 'id' }],
    ],
    [
      'uses a bank account',
      { bankAccount: { number: '4100', routingNumber: '071923284' } },
      'unsupportedFields',
      [{ name: 'bankAccount' }],
    ],
  ])('refuses a body that %s with 400', async (_name, body, type, details) => {
    const r = await call(II, { body });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ type, message: expect.any(String), details }] });
  });

  it('reads, patches previousTransactionId, and reads the change back', async () => {
    const id = (await call(II, { body: { card: { number: CARDS.visa } } })).body.id;
    const got = await call(`${II}/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.card.number).toBe('411111XXXXXX1111');
    const patch = {
      processingInformation: {
        authorizationOptions: {
          initiator: { merchantInitiatedTransaction: { previousTransactionId: '123456789619999' } },
        },
      },
    };
    const patched = await call(`${II}/${id}`, { method: 'PATCH', body: patch });
    expect(patched.status).toBe(200);
    expect(patched.body.processingInformation).toEqual(patch.processingInformation);
    expect((await call(`${II}/${id}`)).body.processingInformation).toEqual(
      patch.processingInformation,
    );
  });

  it('takes a Discover or Diners Club network id of 29 characters, not 30', async () => {
    const id = (await call(II, { body: { card: { number: '6011111111111117' } } })).body.id;
    const patch = (previousTransactionId: string) => ({
      processingInformation: {
        authorizationOptions: {
          initiator: { merchantInitiatedTransaction: { previousTransactionId } },
        },
      },
    });
    const long = '1'.repeat(29);
    expect((await call(`${II}/${id}`, { method: 'PATCH', body: patch(long) })).status).toBe(200);
    expect((await call(`${II}/${id}`, { method: 'PATCH', body: patch(`${long}1`) })).status).toBe(
      400,
    );
  });

  it('refuses to PATCH the card itself (unsupportedFields)', async () => {
    const id = (await call(II, { body: { card: { number: CARDS.visa } } })).body.id;
    const r = await call(`${II}/${id}`, {
      method: 'PATCH',
      body: { card: { number: CARDS.amex } },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({
      type: 'unsupportedFields',
      details: [{ name: 'card' }],
    });
  });

  it('answers 404 notFound for an unknown id on every method', async () => {
    for (const method of ['GET', 'DELETE']) {
      const r = await call(`${II}/7010000000099999999`, { method });
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ errors: [{ type: 'notFound', message: 'Token not found' }] });
    }
    const list = await call(`${II}/7010000000099999999/paymentinstruments`);
    expect(list.status).toBe(404);
  });

  it('deletes an unused identifier with 204, then answers 410 for it and 201 for its card', async () => {
    const id = (await call(II, { body: { card: { number: CARDS.visa } } })).body.id;
    const del = await call(`${II}/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const r = await call(`${II}/${id}`);
    expect(r.status).toBe(410);
    expect(r.body).toEqual({ errors: [{ type: 'notAvailable', message: 'Token not available.' }] });
    const again = await call(II, { body: { card: { number: CARDS.visa } } });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(id);
  });

  it('refuses deletion with 409 while payment instruments use it, until the last one goes', async () => {
    const id = (await call(II, { body: { card: { number: CARDS.visa } } })).body.id;
    const pis: string[] = [];
    for (const month of ['01', '02']) {
      const pi = await call('/tms/v1/paymentinstruments', {
        body: {
          card: { expirationMonth: month, expirationYear: '2031', type: '001' },
          instrumentIdentifier: { id },
        },
      });
      expect(pi.status).toBe(201);
      pis.push(pi.body.id);
    }
    const refused = await call(`${II}/${id}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    const conflict = InstrumentIdentifierDeletionConflict.parse(refused.body);
    expect(conflict.errors[0]?.type).toBe('instrumentIdentifierDeletionError');
    expect(conflict._links.paymentInstruments.href).toBe(
      `http://localhost:4010${II}/${id}/paymentinstruments`,
    );

    expect((await call(`/tms/v1/paymentinstruments/${pis[0]}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await call(`${II}/${id}`, { method: 'DELETE' })).status).toBe(409);
    // deleting the last instrument also deletes the identifier it leaves unused (NODE docs)
    expect((await call(`/tms/v1/paymentinstruments/${pis[1]}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await call(`${II}/${id}`)).status).toBe(410);
  });

  it('lists the payment instruments that use it, paged', async () => {
    const id = (await call(II, { body: { card: { number: CARDS.visa } } })).body.id;
    for (let i = 0; i < 3; i += 1) {
      await call('/tms/v1/paymentinstruments', {
        body: { card: { type: '001' }, instrumentIdentifier: { id } },
      });
    }
    const r = await call(`${II}/${id}/paymentinstruments?offset=1&limit=1`);
    expect(r.status).toBe(200);
    const page = PaymentInstrumentListBody.parse(r.body);
    expect(page).toMatchObject({ offset: 1, limit: 1, count: 1, total: 3 });
    expect(Object.keys(page._links).sort()).toEqual(['first', 'last', 'next', 'prev', 'self']);
    expect(page._embedded?.paymentInstruments[0]?.instrumentIdentifier?.id).toBe(id);
    // SPEC2020 `GET /tms/v1/instrumentidentifiers/{id}/paymentinstruments`
    expect(r.body.object).toBe('collection');
    expect(r.headers.get('x-total-count')).toBe('3');
  });
});

describe('absolute links of /tms/v1 answers', () => {
  const publicUrl = 'https://emulator.example:8443';
  const emulator = createEmulator({ config: { publicUrl } });
  // the SDK's way: Host is the signed runEnvironment, whatever the emulator's address
  const sdkLike = cybersourceCaller(inProcessFetch(emulator), 'http://apitest.cybersource.com');

  it('name the configured public URL, not the Host header', async () => {
    const created = await sdkLike(II, { body: { card: { number: CARDS.amex } } });
    expect(created.status).toBe(201);
    const self = `${publicUrl}${II}/${created.body.id}`;
    expect(created.headers.get('location')).toBe(self);
    expect(created.body._links).toEqual({
      self: { href: self },
      paymentInstruments: { href: `${self}/paymentinstruments` },
    });
    const pi = await sdkLike('/tms/v1/paymentinstruments', {
      body: { card: { type: '001' }, instrumentIdentifier: { id: created.body.id } },
    });
    expect(pi.body._links.self.href).toBe(`${publicUrl}/tms/v1/paymentinstruments/${pi.body.id}`);
    const list = await sdkLike(`${II}/${created.body.id}/paymentinstruments`);
    expect(list.body._links.self.href).toBe(`${self}/paymentinstruments?offset=0&limit=20`);
  });
});
