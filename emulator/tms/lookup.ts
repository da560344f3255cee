/**
 * @module Finding a merchant's token by id. Another merchant's token is indistinguishable from
 * one that never existed (404 `notFound`); the owner's deleted token is 410 `notAvailable`
 * (API-FACTS §3.2).
 */
import type { Context } from 'hono';
import type { EmulatorConfig } from '../config.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { gone, MESSAGES, notFound, oneError } from './errors.ts';
import type { Parsed } from './request.ts';
import type { Customer, InstrumentIdentifier, TmsStore } from './store.ts';

export function lookupToken<T extends { merchantId: string }>(
  c: Context<EmulatorEnv>,
  tms: TmsStore,
  tokens: ReadonlyMap<string, T>,
  id: string,
  visible: (token: T) => boolean = () => true,
): Parsed<T> {
  const merchantId = c.get('merchantId');
  const token = tokens.get(id);
  if (token && token.merchantId === merchantId && visible(token)) return { ok: true, value: token };
  if (!token && tms.isDeleted(merchantId, id)) return { ok: false, response: gone(c) };
  return { ok: false, response: notFound(c) };
}

/**
 * The path's customer (`:customerId`), then one of its own tokens named by the path parameter
 * `param`: another customer's token is 404, like one that does not exist.
 */
export function customerToken<T extends { merchantId: string; customerId?: string }>(
  c: Context<EmulatorEnv>,
  tms: TmsStore,
  tokens: ReadonlyMap<string, T>,
  param: string,
): Parsed<[Customer, T]> {
  const customer = lookupToken(c, tms, tms.customers, c.req.param('customerId') ?? '');
  if (!customer.ok) return customer;
  const token = lookupToken(
    c,
    tms,
    tokens,
    c.req.param(param) ?? '',
    (t) => t.customerId === customer.value.id,
  );
  return token.ok ? { ok: true, value: [customer.value, token.value] } : token;
}

/**
 * The identifier a payment instrument names in `instrumentIdentifier.id`: a 400 with the
 * SPEC2020 create-PI error types when it is unknown or deleted.
 */
export function linkedInstrumentIdentifier(
  c: Context<EmulatorEnv>,
  tms: TmsStore,
  id: string,
): Parsed<InstrumentIdentifier> {
  const merchantId = c.get('merchantId');
  const ii = tms.instrumentIdentifiers.get(id);
  if (ii && ii.merchantId === merchantId) return { ok: true, value: ii };
  if (!ii && tms.isDeleted(merchantId, id)) {
    return {
      ok: false,
      response: oneError(c, 400, 'instrumentIdentifierGone', MESSAGES.instrumentIdentifierGone),
    };
  }
  return {
    ok: false,
    response: oneError(
      c,
      400,
      'instrumentIdentifierNotFound',
      MESSAGES.instrumentIdentifierNotFound,
    ),
  };
}

/**
 * Where the absolute hrefs of `/tms/v1` answers (and the identifier's `Location`) point: the
 * emulator's configured public URL. Not the request's Host: the official SDK sends
 * `Host: apitest.cybersource.com` (its runEnvironment) over plain HTTP, so links built from it
 * would name `http://apitest.cybersource.com`, which is neither the emulator nor CyberSource.
 */
export function publicBase(config: Pick<EmulatorConfig, 'publicUrl'>): string {
  return config.publicUrl.replace(/\/+$/, '');
}
