import { describe, expect, it } from 'vitest';
import {
  bodyDigest,
  parseSignatureHeader,
  type SigningKey,
  signRequest,
  verifyHttpSignature,
} from '../../../cybersource/auth/index.ts';
import vectorsFile from '../../fixtures/signature-vectors.json' with { type: 'json' };

interface Vector {
  name: string;
  input: {
    method: string;
    target: string;
    host: string;
    date: string;
    merchantId: string;
    keyId: string;
    secret: string;
    bodyBase64: string;
  };
  signingString: string;
  signatureValue: string;
  headers?: Record<string, string>;
  sdk?: { headers: Record<string, string> };
  variants?: { cases: { requestTargetName: string; target: string; signatureValue: string }[] };
}

const vectors = vectorsFile.vectors as Vector[];

function sign(
  v: Vector,
  requestTargetName?: 'request-target' | '(request-target)',
  target?: string,
) {
  return signRequest({
    method: v.input.method,
    target: target ?? v.input.target,
    host: v.input.host,
    date: v.input.date,
    merchantId: v.input.merchantId,
    keyId: v.input.keyId,
    secretBase64: v.input.secret,
    body: Buffer.from(v.input.bodyBase64, 'base64'),
    ...(requestTargetName ? { requestTargetName } : {}),
  });
}

function signatureOf(header: string): string | undefined {
  return parseSignatureHeader(header)?.signature;
}

describe('HTTP signature: official vectors', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const legacy = v.signingString.includes('(request-target)');
    const headers = sign(v, legacy ? '(request-target)' : 'request-target');
    const expected = v.sdk?.headers ?? v.headers;
    expect(signatureOf(headers.signature)).toBe(v.signatureValue);
    expect(headers.signature).toBe(expected?.signature);
    expect(headers.digest).toBe(expected?.digest);
  });

  const variants = vectors.flatMap((v) =>
    (v.variants?.cases ?? []).map(
      (c) => [`${v.name} ${c.requestTargetName} ${c.target}`, v, c] as const,
    ),
  );
  it.each(variants)('variant %s', (_n, v, c) => {
    const name = c.requestTargetName === '(request-target)' ? '(request-target)' : 'request-target';
    expect(signatureOf(sign(v, name, c.target).signature)).toBe(c.signatureValue);
  });
});

describe('HTTP signature: verification', () => {
  const key: SigningKey = {
    keyId: '08c94330-f618-42a3-b09d-e1e43be5efda',
    merchantId: 'testrest',
    secretBase64: 'yBJxy6LjM2TmcPGu+GaJrHtkke25fPpUX+UY6/L/1tE=',
  };
  const now = new Date('2026-01-01T00:00:00Z');
  const body = '{"clientReferenceInformation":{"code":"x"}}';

  function request(
    overrides: { body?: string; headers?: Record<string, string>; target?: string } = {},
  ) {
    const signed = signRequest({
      method: 'POST',
      target: '/pts/v2/payments',
      host: 'apitest.cybersource.com',
      date: now.toUTCString(),
      merchantId: key.merchantId,
      keyId: key.keyId,
      secretBase64: key.secretBase64,
      body,
    });
    const headers: Record<string, string> = { ...signed, ...(overrides.headers ?? {}) };
    return {
      method: 'POST',
      target: overrides.target ?? '/pts/v2/payments',
      header: (n: string) => headers[n],
      body: Buffer.from(overrides.body ?? body),
    };
  }
  const opts = { now, findKey: (id: string) => (id === key.keyId ? key : undefined) };

  it('accepts a request signed the SDK way', () => {
    expect(verifyHttpSignature(request(), opts)).toEqual({ ok: true, key });
  });

  it.each([
    ['tampered body', { body: '{"clientReferenceInformation":{"code":"y"}}' }, 'digest_mismatch'],
    [
      'tampered body with a recomputed digest',
      {
        body: '{"clientReferenceInformation":{"code":"y"}}',
        headers: { digest: bodyDigest('{"clientReferenceInformation":{"code":"y"}}') },
      },
      'bad_signature',
    ],
    ['another path', { target: '/pts/v2/payments/1/refunds' }, 'bad_signature'],
    ['another host', { headers: { host: 'api.cybersource.com' } }, 'bad_signature'],
    ['another merchant', { headers: { 'v-c-merchant-id': 'someone' } }, 'merchant_mismatch'],
    [
      'a stale date',
      { headers: { date: new Date(now.getTime() - 301_000).toUTCString() } },
      'stale_date',
    ],
    [
      'a date from the future',
      { headers: { date: new Date(now.getTime() + 301_000).toUTCString() } },
      'stale_date',
    ],
    ['a garbled date', { headers: { date: 'yesterday' } }, 'invalid_date'],
  ] as const)('refuses %s', (_n, o, failure) => {
    expect(verifyHttpSignature(request(o), opts)).toEqual({ ok: false, failure });
  });

  describe('a host signed that is not the Host header', () => {
    const knownHosts = ['apitest.cybersource.com', 'localhost:4010'];
    const arrivedAs = (host: string) => request({ headers: { host } });

    it('is named host_mismatch when the signed host is one the client may mean', () => {
      expect(verifyHttpSignature(arrivedAs('localhost:4010'), { ...opts, knownHosts })).toEqual({
        ok: false,
        failure: 'host_mismatch',
      });
    });

    it('stays bad_signature when no known host makes the signature verify', () => {
      const signedElsewhere = request({ headers: { host: 'localhost:4010' } });
      const wrong = { ...key, secretBase64: Buffer.from('not the secret').toString('base64') };
      expect(
        verifyHttpSignature(signedElsewhere, { ...opts, findKey: () => wrong, knownHosts }),
      ).toEqual({ ok: false, failure: 'bad_signature' });
      expect(verifyHttpSignature(arrivedAs('api.cybersource.com'), opts)).toEqual({
        ok: false,
        failure: 'bad_signature',
      });
    });
  });

  it('refuses a wrong secret', () => {
    const wrong = { ...key, secretBase64: Buffer.from('not the secret').toString('base64') };
    expect(verifyHttpSignature(request(), { now, findKey: () => wrong })).toEqual({
      ok: false,
      failure: 'bad_signature',
    });
  });

  it('refuses an unknown key id', () => {
    expect(verifyHttpSignature(request(), { now, findKey: () => undefined })).toEqual({
      ok: false,
      failure: 'unknown_key',
    });
  });

  it('refuses the legacy (request-target) spelling even when correctly computed', () => {
    const signed = signRequest({
      method: 'GET',
      target: '/tms/v2/customers/X',
      host: 'apitest.cybersource.com',
      date: now.toUTCString(),
      merchantId: key.merchantId,
      keyId: key.keyId,
      secretBase64: key.secretBase64,
      requestTargetName: '(request-target)',
    });
    const headers: Record<string, string> = { ...signed };
    const req = {
      method: 'GET',
      target: '/tms/v2/customers/X',
      header: (n: string) => headers[n],
      body: new Uint8Array(),
    };
    expect(verifyHttpSignature(req, opts)).toEqual({ ok: false, failure: 'legacy_request_target' });
  });

  it('refuses a signature that leaves out the digest on a POST', () => {
    const r = request();
    const header = r.header('signature')?.replace(' digest', '') ?? '';
    expect(
      verifyHttpSignature(
        { ...r, header: (n) => (n === 'signature' ? header : r.header(n)) },
        opts,
      ),
    ).toEqual({
      ok: false,
      failure: 'missing_signed_header',
    });
  });

  it.each([
    ['missing', undefined, 'missing_signature'],
    ['malformed', 'keyid=abc', 'malformed_signature'],
  ] as const)('refuses a %s signature header', (_n, value, failure) => {
    const r = request();
    expect(
      verifyHttpSignature({ ...r, header: (n) => (n === 'signature' ? value : r.header(n)) }, opts),
    ).toEqual({
      ok: false,
      failure,
    });
  });
});

describe('HTTP signature: date format', () => {
  it('refuses a correctly signed date that is not an RFC 7231 IMF-fixdate', () => {
    const key: SigningKey = {
      keyId: '08c94330-f618-42a3-b09d-e1e43be5efda',
      merchantId: 'testrest',
      secretBase64: 'yBJxy6LjM2TmcPGu+GaJrHtkke25fPpUX+UY6/L/1tE=',
    };
    const now = new Date('2026-01-01T00:00:00Z');
    const signed = signRequest({
      method: 'GET',
      target: '/tss/v2/transactions/1',
      host: 'apitest.cybersource.com',
      date: now.toISOString(),
      merchantId: key.merchantId,
      keyId: key.keyId,
      secretBase64: key.secretBase64,
    });
    const headers: Record<string, string> = { ...signed };
    const req = {
      method: 'GET',
      target: '/tss/v2/transactions/1',
      header: (n: string) => headers[n],
      body: new Uint8Array(),
    };
    expect(verifyHttpSignature(req, { now, findKey: () => key })).toEqual({
      ok: false,
      failure: 'invalid_date',
    });
  });
});
