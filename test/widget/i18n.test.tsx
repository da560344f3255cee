// @vitest-environment happy-dom
import { afterEach, expect, test, vi } from 'vitest';
import { de } from '../../widget/i18n/de.ts';
import { en } from '../../widget/i18n/en.ts';
import { es } from '../../widget/i18n/es.ts';
import { fr } from '../../widget/i18n/fr.ts';
import { loadLocale } from '../../widget/i18n/locale.ts';
import type { FlexWorld } from './fake-flex.ts';
import {
  CATALOG,
  eachTest,
  type FakeStub,
  fillValid,
  fireEvent,
  holdSession,
  mountWidget,
  payButton,
  ready,
  waitFor,
} from './harness.ts';

let stub: FakeStub;
let world: FlexWorld;

eachTest((t) => ({ stub, world } = t));
afterEach(() => vi.useRealTimers());

test('every language has every message, with the same placeholders', () => {
  const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
  for (const dict of [fr, es, de]) {
    expect(Object.keys(dict).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(en))
      expect(holes(dict[k as keyof typeof en]), k).toBe(holes(v));
  }
});

test('after a language change the live region holds nothing in the old language', async () => {
  const { el, handle } = mountWidget({ locale: 'de' });
  await ready(el);
  fireEvent.click(payButton(el));
  const region = () => el.querySelector('[role=status]')?.textContent ?? '';
  expect(region()).toMatch(/^Bitte korrigieren/);
  handle.update({ locale: 'es' });
  await waitFor(() => expect(el.querySelector('.cc')?.getAttribute('lang')).toBe('es'));
  await ready(el);
  expect(region()).toBe('');
});

test.each([
  ['fr', 'EUR', 'Payer 25,00 €'],
  ['fr-CA', 'CAD', 'Payer 25,00 $'],
  ['en-CA', 'CAD', 'Pay $25.00'],
  ['de', 'EUR', 'Jetzt 25,00 € bezahlen'],
  ['es', 'EUR', 'Pagar 25,00 €'],
  ['en', 'USD', 'Pay $25.00'],
])('%s formats %s amounts', async (locale, currency, label) => {
  stub.routes['GET /api/catalog'] = { status: 200, body: { ...CATALOG, currency } };
  const { el } = mountWidget({ locale });
  await ready(el);
  expect(payButton(el).textContent?.replace(/\u00a0|\u202f/g, ' ')).toBe(label);
  expect(el.querySelector('.cc')?.getAttribute('lang')).toBe(locale);
});

test('the page language is the default; Microform fields get labels in it', async () => {
  document.documentElement.lang = 'de-DE';
  const { el } = mountWidget();
  await ready(el);
  expect(el.textContent).toContain('Kartennummer');
  expect(world.fields[0]?.options['aria-label']).toBe('Kartennummer');
  expect(world.fields[1]?.options['aria-label']).toBe('Sicherheitscode');
});

test('a later change of the page language is followed, with the card fields kept, unless the locale option names one', async () => {
  const { el } = mountWidget();
  const named = mountWidget({ locale: 'en' }).el;
  await ready(el);
  await ready(named);
  const sessions = stub.sessions;
  // A site's own language switcher.
  document.documentElement.lang = 'de';
  await waitFor(() => expect(payButton(el).textContent).toMatch(/^Jetzt 25,00.*bezahlen$/));
  await ready(el);
  expect(el.textContent).toContain('Kartennummer');
  const number = world.fields.find((f) => f.type === 'number' && el.contains(f.container ?? null));
  expect(number?.options['aria-label']).toBe('Kartennummer');
  // The fields and their session stay (each session is one of the shopper's allowance).
  expect(stub.sessions).toBe(sessions);
  expect(named.textContent).toContain('Card number');
  expect(named.querySelector('.cc')?.getAttribute('lang')).toBe('en');
});

/**
 * A mounted checkout whose payment is in flight (fake timers on): `answer` declines it for
 * insufficient funds.
 */
async function payingUntilDeclined() {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  let answer = () => {};
  stub.routes['POST /api/checkout/payments'] = () =>
    new Promise((r) => {
      answer = () =>
        r({
          status: 402,
          body: { error: { code: 'card_declined', reason: 'INSUFFICIENT_FUND', message: 'x' } },
        });
    });
  const { el } = mountWidget();
  await ready(el);
  fillValid(el, world);
  fireEvent.click(payButton(el));
  await waitFor(() => expect(payButton(el).textContent).toBe('Processing…'));
  return { el, answer: () => answer() };
}

test('a page language change during a payment waits for its outcome, whose notice stays', async () => {
  const { el, answer } = await payingUntilDeclined();
  document.documentElement.lang = 'de';
  await vi.advanceTimersByTimeAsync(100);
  // A restart now would drop the payment's answer.
  expect(payButton(el).textContent).toBe('Processing…');
  answer();
  await waitFor(() => expect(el.querySelector('.cc-notice')?.textContent).toMatch(/^Insufficient/));
  await vi.advanceTimersByTimeAsync(5000);
  await waitFor(() =>
    expect(el.querySelector('.cc-notice')?.textContent).toMatch(/nicht ausreichend gedeckt/),
  );
});

test('page language changes during one payment restart the checkout once after its outcome', async () => {
  const { el, answer } = await payingUntilDeclined();
  // A shopper trying the site's language switcher while the payment runs.
  for (const lang of ['de', 'fr', 'es']) {
    document.documentElement.lang = lang;
    await vi.advanceTimersByTimeAsync(1000);
  }
  answer();
  await vi.advanceTimersByTimeAsync(10_000);
  await waitFor(() => expect(el.querySelector('.cc-notice')?.textContent).toMatch(/^Fondos/));
  // One restart in the last language: each read of the cards counts against the shopper's
  // limit at the stub (30 per 10 minutes), and a restart per change spent three.
  expect(stub.calls('GET', '/api/catalog')).toHaveLength(2);
  expect(stub.calls('GET', '/api/payment-methods')).toHaveLength(2);
});

test('a page language set while the form loads (a framework hydrating) applies once it is ready, in its one session', async () => {
  const release = holdSession(stub);
  const { el } = mountWidget();
  await waitFor(() => expect(stub.calls('POST', '/api/checkout/sessions')).toHaveLength(1));
  document.documentElement.lang = 'de-DE';
  await new Promise((r) => setTimeout(r, 20));
  release();
  await waitFor(() => expect(payButton(el).textContent).toMatch(/^Jetzt 25,00.*bezahlen$/));
  await ready(el);
  expect(el.textContent).toContain('Kartennummer');
  // A second session would be one more of the shopper's 10 per 10 minutes, spent on loading.
  expect(stub.calls('POST', '/api/checkout/sessions')).toHaveLength(1);
});

test('a page language change that keeps the language (en-US to en-GB, or set again) reads nothing again', async () => {
  document.documentElement.lang = 'en-US';
  const { el } = mountWidget();
  await ready(el);
  for (const lang of ['en-GB', 'en', 'EN-us']) {
    document.documentElement.lang = lang;
    await new Promise((r) => setTimeout(r, 20));
  }
  await ready(el);
  expect(el.textContent).toContain('Card number');
  // Each restart reads the catalog and the saved cards, reads the stub counts per shopper.
  expect(stub.calls('GET', '/api/catalog')).toHaveLength(1);
  expect(stub.calls('GET', '/api/payment-methods')).toHaveLength(1);
});

test('the page language is watched once for the checkout’s life, however often it restarts, and no longer after unmount', async () => {
  const observe = vi.spyOn(MutationObserver.prototype, 'observe');
  const disconnect = vi.spyOn(MutationObserver.prototype, 'disconnect');
  const { el, handle } = mountWidget();
  await ready(el);
  // Restarts: an item change, a language change, an item change back.
  handle.update({ item: 'donation' });
  await ready(el);
  document.documentElement.lang = 'fr';
  await waitFor(() => expect(payButton(el).textContent).toMatch(/^Payer/));
  await ready(el);
  handle.update({ item: 'tee' });
  await ready(el);
  const watchers = observe.mock.contexts.filter(
    (_, i) => observe.mock.calls[i]?.[0] === document.documentElement,
  );
  expect(watchers).toHaveLength(1);
  handle.unmount();
  expect(disconnect.mock.contexts).toContain(watchers[0]);
  document.documentElement.lang = 'de';
  await new Promise((r) => setTimeout(r, 20));
  expect(stub.calls('GET', '/api/catalog')).toHaveLength(4);
});

test('an item fixed with update() after a misconfiguration still follows the page language', async () => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  const { el, handle } = mountWidget({ item: 'nope' });
  await waitFor(() => expect(el.querySelector('[role=alert]')).not.toBeNull());
  handle.update({ item: 'tee' });
  await ready(el);
  document.documentElement.lang = 'es';
  await waitFor(() => expect(payButton(el).textContent).toMatch(/^Pagar/));
});

test('a page language change after a payment leaves the receipt in place', async () => {
  const { el } = mountWidget();
  await ready(el);
  fillValid(el, world);
  fireEvent.click(payButton(el));
  await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
  document.documentElement.lang = 'fr';
  await new Promise((r) => setTimeout(r, 20));
  expect(el.querySelector('.cc-done')).not.toBeNull();
  expect(stub.calls('GET', '/api/catalog')).toHaveLength(1);
});

test.each([
  ['fr', 'Fonds insuffisants. Essayez une autre carte.'],
  ['es', 'Fondos insuficientes. Prueba con otra tarjeta.'],
  ['de', 'Ihre Karte ist nicht ausreichend gedeckt. Versuchen Sie es mit einer anderen Karte.'],
])('%s decline messages', async (locale, message) => {
  stub.routes['POST /api/checkout/payments'] = {
    status: 402,
    body: { error: { code: 'card_declined', reason: 'INSUFFICIENT_FUND', message: 'x' } },
  };
  const { el } = mountWidget({ locale });
  await ready(el);
  fillValid(el, world);
  fireEvent.click(payButton(el));
  await waitFor(() => expect(el.querySelector('.cc-notice')?.textContent).toBe(message));
});

test('a plan reads per month in French, and validation speaks French', async () => {
  const { el } = mountWidget({ locale: 'fr', item: 'plan-monthly' });
  await ready(el);
  expect(payButton(el).textContent?.replace(/\u00a0|\u202f/g, ' ')).toBe('Payer 12,00 $US / mois');
  fireEvent.click(payButton(el));
  // No-break spaces before the colons (French typography): never a line starting with ':'.
  expect(el.querySelector('[role=status]')?.textContent).toBe(
    'À corriger\u00a0: Numéro de carte\u00a0: Obligatoire.',
  );
});

test.each([
  ['en', 'MM/YY'],
  ['fr', 'MM/AA'],
  ['es', 'MM/AA'],
  ['de', 'MM/JJ'],
])('%s: the expiry placeholder is the label’s format, %s', async (locale, format) => {
  const { el } = mountWidget({ locale });
  await ready(el);
  const expiry = el.querySelector('input[name=expiry]') as HTMLInputElement;
  expect(expiry.placeholder).toBe(format);
  expect(el.querySelector(`label[for="${expiry.id}"]`)?.textContent).toMatch(
    new RegExp(`\\(${format}\\)$`),
  );
});

test.each([
  ['fr', 'Votre paiement n’a pas abouti et aucun montant n’a été débité. Veuillez réessayer.'],
  ['es', 'Tu pago no se ha completado y no se te ha cobrado nada. Inténtalo de nuevo.'],
  [
    'de',
    'Ihre Zahlung wurde nicht ausgeführt und Ihnen wurde nichts berechnet. Bitte erneut versuchen.',
  ],
])('%s: a canceled payment (not charged) is not a decline', async (locale, message) => {
  stub.routes['POST /api/checkout/payments'] = {
    status: 402,
    body: { error: { code: 'payment_canceled', message: 'x' } },
  };
  const { el } = mountWidget({ locale });
  await ready(el);
  fillValid(el, world);
  fireEvent.click(payButton(el));
  await waitFor(() => expect(el.querySelector('.cc-notice')?.textContent).toBe(message));
});

test('an unsupported language is English throughout, never mixed', async () => {
  const l = await loadLocale('it-IT');
  expect(l.tag).toBe('en');
  expect(l.t('pay', { amount: l.money(1234, 'EUR') })).toBe('Pay €12.34');
});

test('an amount typed is rewritten as the new language writes it, and still paid', async () => {
  const { el, handle } = mountWidget({ item: 'donation', locale: 'en' });
  await ready(el);
  const amount = el.querySelector<HTMLInputElement>('[name=amount]') as HTMLInputElement;
  fireEvent.input(amount, { target: { value: '1,000.00' } });
  handle.update({ locale: 'de' });
  await waitFor(() => expect(el.querySelector('.cc')?.getAttribute('lang')).toBe('de'));
  await ready(el);
  expect(amount.value).toBe('1.000,00');
  expect(payButton(el).textContent?.replace(/\u00a0/g, ' ')).toBe('Jetzt 1.000,00 $ bezahlen');
  fillValid(el, world);
  fireEvent.click(payButton(el));
  await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
  expect(stub.calls('POST', '/api/checkout/payments')[0]?.body).toMatchObject({
    item: { id: 'donation', amount: 100000 },
  });
});

test('an amount typed is rewritten when the language and the item change together', async () => {
  stub.routes['GET /api/catalog'] = {
    status: 200,
    body: {
      ...CATALOG,
      products: [
        ...CATALOG.products,
        { id: 'gift', name: 'Gift', amount: 500, customAmount: { min: 100, max: 100000 } },
      ],
    },
  };
  const { el, handle } = mountWidget({ item: 'donation', locale: 'en' });
  await ready(el);
  const amount = el.querySelector<HTMLInputElement>('[name=amount]') as HTMLInputElement;
  fireEvent.input(amount, { target: { value: '1,000.00' } });
  handle.update({ item: 'gift', locale: 'de' });
  await waitFor(() => expect(el.querySelector('.cc')?.getAttribute('lang')).toBe('de'));
  await ready(el);
  expect(el.querySelector<HTMLInputElement>('[name=amount]')?.value).toBe('1.000,00');
  expect(payButton(el).textContent?.replace(/\u00a0/g, ' ')).toBe('Jetzt 1.000,00 $ bezahlen');
});

test('a restart in the same language leaves an amount as the shopper typed it', async () => {
  stub.routes['POST /api/checkout/payments'] = {
    status: 409,
    body: { error: { code: 'price_changed' } },
  };
  const { el } = mountWidget({ item: 'donation', locale: 'en' });
  await ready(el);
  const amount = el.querySelector<HTMLInputElement>('[name=amount]') as HTMLInputElement;
  fireEvent.input(amount, { target: { value: '1000' } });
  fillValid(el, world);
  fireEvent.click(payButton(el));
  // The catalog read again (the price changed), in the same language.
  await waitFor(() => expect(stub.calls('GET', '/api/catalog')).toHaveLength(2));
  await ready(el);
  expect(amount.value).toBe('1000');
});
