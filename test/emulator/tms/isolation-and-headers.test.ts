import { beforeEach, describe, expect, it } from 'vitest';
import {
  CARDS,
  customer,
  customerInstrument,
  instrumentIdentifier,
  tmsHarness,
} from './harness.ts';

const { call, other, reset } = tmsHarness();

describe('merchant isolation', () => {
  beforeEach(reset);

  it("never shows, changes or deletes another merchant's tokens", async () => {
    const cid = await customer(call);
    const pi = await customerInstrument(call, cid, CARDS.visa);
    const iiId = (await call(`/tms/v2/customers/${cid}/payment-instruments/${pi}`)).body
      .instrumentIdentifier.id;
    const paths = [
      `/tms/v1/instrumentidentifiers/${iiId}`,
      `/tms/v1/instrumentidentifiers/${iiId}/paymentinstruments`,
      `/tms/v2/customers/${cid}`,
      `/tms/v2/customers/${cid}/payment-instruments`,
      `/tms/v2/customers/${cid}/payment-instruments/${pi}`,
    ];
    for (const path of paths) {
      const r = await other(path);
      expect(r.status, path).toBe(404);
      expect(r.body).toEqual({ errors: [{ type: 'notFound', message: 'Token not found' }] });
    }
    expect((await other(`/tms/v2/customers/${cid}`, { method: 'DELETE' })).status).toBe(404);
    expect(
      (await other(`/tms/v1/instrumentidentifiers/${iiId}`, { method: 'DELETE' })).status,
    ).toBe(404);
    expect(
      (
        await other(`/tms/v2/customers/${cid}/payment-instruments`, {
          body: { card: { type: '001' }, instrumentIdentifier: { id: iiId } },
        })
      ).status,
    ).toBe(404);
    // still there for its owner
    expect((await call(`/tms/v2/customers/${cid}/payment-instruments/${pi}`)).status).toBe(200);
  });

  it('gives each merchant its own identifier for the same card', async () => {
    const mine = await instrumentIdentifier(call, CARDS.visa);
    const r = await other('/tms/v1/instrumentidentifiers', {
      body: { card: { number: CARDS.visa } },
    });
    expect(r.status).toBe(201);
    expect(r.body.id).not.toBe(mine);
    expect(r.body.metadata.creator).toBe('othermerchant');
  });

  it('cannot link a payment instrument to another merchant identifier', async () => {
    const iiId = await instrumentIdentifier(call, CARDS.visa);
    const r = await other('/tms/v1/paymentinstruments', {
      body: { card: { type: '001' }, instrumentIdentifier: { id: iiId } },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].type).toBe('instrumentIdentifierNotFound');
  });

  it('answers 410 for a deleted token to its owner only', async () => {
    const cid = await customer(call);
    await call(`/tms/v2/customers/${cid}`, { method: 'DELETE' });
    expect((await call(`/tms/v2/customers/${cid}`)).status).toBe(410);
    expect((await other(`/tms/v2/customers/${cid}`)).status).toBe(404);
  });
});

describe('TMS headers', () => {
  beforeEach(reset);

  it('emits an ETag and enforces If-Match on PATCH and DELETE with 412', async () => {
    const cid = await customer(call);
    const got = await call(`/tms/v2/customers/${cid}`);
    const etag = got.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);

    const stale = await call(`/tms/v2/customers/${cid}`, {
      method: 'PATCH',
      body: { clientReferenceInformation: { code: 'x' } },
      headers: { 'if-match': '"0000"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.errors[0].type).toBe('conflict');

    const fresh = await call(`/tms/v2/customers/${cid}`, {
      method: 'PATCH',
      body: { clientReferenceInformation: { code: 'x' } },
      headers: { 'if-match': etag ?? '' },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).not.toBe(etag);
    // the old tag is stale now
    const del = await call(`/tms/v2/customers/${cid}`, {
      method: 'DELETE',
      headers: { 'if-match': etag ?? '' },
    });
    expect(del.status).toBe(412);
    expect(
      (await call(`/tms/v2/customers/${cid}`, { method: 'DELETE', headers: { 'if-match': '*' } }))
        .status,
    ).toBe(204);
  });

  it.each([
    ['a UUID profile-id', '93B32398-AD51-4CC2-A682-EA3E93614EB1', 201],
    ['a malformed profile-id', 'not-a-profile', 424],
  ])('answers %s with %i', async (_name, profile, status) => {
    const r = await call('/tms/v2/customers', { body: {}, headers: { 'profile-id': profile } });
    expect(r.status).toBe(status);
    if (status === 424)
      expect(r.body).toEqual({ errors: [{ type: 'notFound', message: 'Profile not found' }] });
  });

  it('keeps the 401 CyberSource body for unsigned TMS requests', async () => {
    const r = await call('/tms/v2/customers', { body: {}, auth: 'none' });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ response: { rmsg: 'Authentication Failed' } });
  });
});
