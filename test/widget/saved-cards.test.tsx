// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { REFRESH_LEAD_MS } from '../../widget/checkout/controller.tsx';
import type { FlexWorld } from './fake-flex.ts';
import {
  type FakeStub,
  fillValid,
  fireEvent,
  gatewayRefusal,
  holdSession,
  mountWidget,
  paid,
  payButton,
  ready,
  setup,
  waitFor,
} from './harness.ts';

let stub: FakeStub;
let world: FlexWorld;

const SAVED = {
  paymentMethods: [
    {
      id: 'pi-visa',
      brand: 'VISA',
      last4: '1111',
      expirationMonth: '12',
      expirationYear: '2031',
      isDefault: false,
    },
    {
      id: 'pi-amex',
      brand: '003',
      last4: '0005',
      expirationMonth: '01',
      expirationYear: '2030',
      isDefault: true,
    },
    { id: 'broken', brand: 'VISA', last4: 'abcd' },
  ],
};

beforeEach(() => {
  ({ stub, world } = setup());
  stub.routes['GET /api/payment-methods'] = { status: 200, body: SAVED };
  stub.routes['DELETE /api/payment-methods/*'] = { status: 204 };
  stub.routes['PUT /api/payment-methods/*'] = { status: 200, body: {} };
});
afterEach(() => vi.unstubAllGlobals());

const radios = (el: HTMLElement) =>
  Array.from(el.querySelectorAll<HTMLInputElement>('.cc-saved input[type=radio]'));

test('lists saved cards with brand mark, last 4 and expiry; the default is chosen; malformed entries are dropped', async () => {
  const { el, events } = mountWidget();
  await ready(el);
  const rows = Array.from(el.querySelectorAll('.cc-method')).map((r) =>
    r.textContent?.replace(/^(Visa|Amex)/, ''),
  );
  expect(rows).toEqual([
    'Visa ending 1111 expires\u00a012/31Make defaultRemove',
    'Amex ending 0005 expires\u00a001/30DefaultRemove',
  ]);
  // The marks are decorative here: the row's text already names the brand.
  expect(
    Array.from(el.querySelectorAll('.cc-method svg')).map((s) => [
      s.getAttribute('data-brand'),
      s.getAttribute('aria-hidden'),
    ]),
  ).toEqual([
    ['VISA', 'true'],
    ['AMEX', 'true'],
  ]);
  expect(radios(el).map((r) => [r.value, r.checked])).toEqual([
    ['pi-visa', false],
    ['pi-amex', true],
    ['new', false],
  ]);
  // The new-card fields are hidden, not removed: Microform keeps its iframes.
  expect(
    el.querySelector<HTMLElement>('[data-cc-field=number]')?.closest('[hidden]'),
  ).not.toBeNull();
  expect(el.querySelector('[data-cc-field=number] .fake-iframe')).not.toBeNull();
  expect(events.find((e) => e.type === 'checkout:ready')?.detail).toMatchObject({ savedCards: 2 });
});

test('pays with the chosen saved card: paymentMethodId, no token', async () => {
  const { el, events } = mountWidget();
  await ready(el);
  fireEvent.click(radios(el)[0] as HTMLInputElement);
  expect(events.filter((e) => e.type === 'checkout:change').at(-1)?.detail).toEqual({
    paymentMethod: 'saved',
    complete: true,
    brands: [],
    savedCards: [
      expect.objectContaining({ id: 'pi-visa', isDefault: false }),
      expect.objectContaining({ id: 'pi-amex', isDefault: true }),
    ],
  });
  fireEvent.click(payButton(el));
  await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
  expect(stub.calls('POST', '/api/checkout/payments')[0]?.body).toEqual({
    paymentMethodId: 'pi-visa',
    item: { id: 'tee', amount: 2500, currency: 'USD' },
  });
  expect(stub.calls('POST', '/api/checkout/payments')[0]?.headers['Idempotency-Key']).toBeTruthy();
  expect(world.tokenCalls).toHaveLength(0);
});

test('the Remove confirmation names the card, and Escape cancels it back to Remove', async () => {
  const { el } = mountWidget();
  await ready(el);
  const remove = () =>
    el.querySelector<HTMLButtonElement>('[data-cc-remove=pi-amex]') as HTMLButtonElement;
  fireEvent.click(remove());
  // Focus lands on the confirm button: it says which card, and the question is its description.
  const confirm = document.activeElement as HTMLElement;
  expect(confirm.hasAttribute('data-cc-confirm')).toBe(true);
  expect(confirm.getAttribute('aria-label')).toBe('Remove: Amex ending 0005');
  expect(document.getElementById(confirm.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
    'Remove card ending 0005?',
  );
  fireEvent.keyDown(confirm, { key: 'Escape' });
  expect(el.querySelector('[data-cc-confirm]')).toBeNull();
  expect(el.textContent).not.toContain('Remove card ending 0005?');
  expect(document.activeElement).toBe(remove());
  // From Cancel too.
  fireEvent.click(remove());
  const cancel = Array.from(el.querySelectorAll('button')).find((b) => b.textContent === 'Cancel');
  fireEvent.keyDown(cancel as HTMLElement, { key: 'Escape' });
  expect(document.activeElement).toBe(remove());
  expect(stub.calls('DELETE', '/api/payment-methods/pi-amex')).toHaveLength(0);
});

test('Escape elsewhere in the widget cancels an open Remove confirmation and leaves focus where it is', async () => {
  const { el } = mountWidget();
  await ready(el);
  fireEvent.click(el.querySelector('[data-cc-remove=pi-amex]') as HTMLElement);
  // The shopper tabs on, past Cancel, to another card's button.
  const other = el.querySelector('.cc-method button') as HTMLButtonElement;
  other.focus();
  fireEvent.keyDown(other, { key: 'Escape' });
  expect(el.querySelector('[data-cc-confirm]')).toBeNull();
  expect(el.textContent).not.toContain('Remove card ending 0005?');
  expect(document.activeElement).toBe(other);
  expect(stub.calls('DELETE', '/api/payment-methods/pi-amex')).toHaveLength(0);
});

test('Escape that cancels a Remove confirmation is the widget’s alone: a merchant’s modal around it stays open', async () => {
  // A merchant's modal around the widget: a <dialog> closes on an Escape keydown nobody
  // canceled (Chromium), a script modal on one that reaches the page.
  const page: string[] = [];
  const off = new AbortController();
  document.addEventListener(
    'keydown',
    (e) => e.key === 'Escape' && page.push(e.defaultPrevented ? 'kept' : 'closed'),
    { signal: off.signal },
  );
  const { el } = mountWidget();
  await ready(el);
  fireEvent.click(el.querySelector('[data-cc-remove=pi-amex]') as HTMLElement);
  const other = el.querySelector('.cc-method button') as HTMLButtonElement;
  other.focus();
  const canceled = !fireEvent.keyDown(other, { key: 'Escape' });
  expect(el.querySelector('[data-cc-confirm]')).toBeNull();
  expect(canceled).toBe(true);
  expect(page).toEqual([]);
  // With no confirmation open, Escape is the page's as ever: the merchant's modal closes.
  expect(fireEvent.keyDown(other, { key: 'Escape' })).toBe(true);
  expect(page).toEqual(['closed']);
  off.abort();
});

test('choosing another card closes an open Remove confirmation', async () => {
  const { el } = mountWidget();
  await ready(el);
  fireEvent.click(el.querySelector('[data-cc-remove=pi-amex]') as HTMLElement);
  expect(el.querySelector('[data-cc-confirm]')).not.toBeNull();
  // The question was about a card the shopper has moved away from: it must not stay asked.
  fireEvent.click(radios(el)[0] as HTMLInputElement);
  expect(el.querySelector('[data-cc-confirm]')).toBeNull();
  expect(el.textContent).not.toContain('Remove card ending 0005?');
  expect(stub.calls('DELETE', '/api/payment-methods/pi-amex')).toHaveLength(0);
});

test('remove asks first; cancel keeps it; confirm deletes and moves the choice', async () => {
  const { el, events } = mountWidget();
  await ready(el);
  const remove = () =>
    el.querySelector<HTMLButtonElement>('[data-cc-remove=pi-amex]') as HTMLButtonElement;
  fireEvent.click(remove());
  expect(el.textContent).toContain('Remove card ending 0005?');
  expect(document.activeElement?.hasAttribute('data-cc-confirm')).toBe(true);
  fireEvent.click(
    Array.from(el.querySelectorAll('button')).find(
      (b) => b.textContent === 'Cancel',
    ) as HTMLElement,
  );
  expect(stub.calls('DELETE', '/api/payment-methods/pi-amex')).toHaveLength(0);
  expect(document.activeElement).toBe(remove());
  fireEvent.click(remove());
  fireEvent.click(el.querySelector('[data-cc-confirm]') as HTMLElement);
  await waitFor(() => expect(el.querySelectorAll('.cc-method')).toHaveLength(1));
  expect(stub.calls('DELETE', '/api/payment-methods/pi-amex')).toHaveLength(1);
  expect(el.querySelector('[role=status]')?.textContent).toBe('Card removed.');
  // The removed card was chosen; no default is left, so the new card is.
  expect(radios(el).find((r) => r.checked)?.value).toBe('new');
  // The page hears of it (a saved-card list of its own must not go stale).
  expect(events.filter((e) => e.type === 'checkout:change').at(-1)?.detail).toMatchObject({
    paymentMethod: 'new',
    savedCards: [expect.objectContaining({ id: 'pi-visa' })],
  });
});

test('removing the default card shows the card the stub made the default next, and chooses it', async () => {
  const { el } = mountWidget();
  await ready(el);
  // The stub makes the next card the default before deleting (TMS refuses to delete a default).
  stub.routes['GET /api/payment-methods'] = {
    status: 200,
    body: { paymentMethods: [{ ...SAVED.paymentMethods[0], isDefault: true }] },
  };
  fireEvent.click(el.querySelector('[data-cc-remove=pi-amex]') as HTMLElement);
  fireEvent.click(el.querySelector('[data-cc-confirm]') as HTMLElement);
  await waitFor(() => expect(el.querySelectorAll('.cc-method')).toHaveLength(1));
  expect(el.querySelector('.cc-method')?.textContent).toContain('Default');
  expect(radios(el).find((r) => r.checked)?.value).toBe('pi-visa');
  // The list was read back once; removing a card that is not the default reads nothing.
  expect(stub.calls('GET', '/api/payment-methods')).toHaveLength(2);
});

test('removing a card that is not the default reads no list back', async () => {
  const { el } = mountWidget();
  await ready(el);
  fireEvent.click(el.querySelector('[data-cc-remove=pi-visa]') as HTMLElement);
  fireEvent.click(el.querySelector('[data-cc-confirm]') as HTMLElement);
  await waitFor(() => expect(el.querySelectorAll('.cc-method')).toHaveLength(1));
  expect(stub.calls('GET', '/api/payment-methods')).toHaveLength(1);
  expect(radios(el).find((r) => r.checked)?.value).toBe('pi-amex');
});

test('paying with a card removed meanwhile in another tab reads the list again: the card gone, the new default chosen, nothing charged said', async () => {
  stub.routes['POST /api/checkout/payments'] = {
    status: 404,
    body: { error: { code: 'payment_method_not_found', message: 'Payment method not found.' } },
  };
  // The other tab removed the default (Amex); the stub made the Visa the default first.
  stub.routes['GET /api/payment-methods'] = (_req, n) => ({
    status: 200,
    body: n === 1 ? SAVED : { paymentMethods: [{ ...SAVED.paymentMethods[0], isDefault: true }] },
  });
  const { el, callbacks, events } = mountWidget();
  await ready(el);
  expect(radios(el).find((r) => r.checked)?.value).toBe('pi-amex');
  fireEvent.click(payButton(el));
  await waitFor(() =>
    expect(el.querySelector('.cc-notice')?.textContent).toBe(
      'That card has been removed, and you were not charged. Choose another card.',
    ),
  );
  expect(stub.calls('GET', '/api/payment-methods')).toHaveLength(2);
  expect(Array.from(el.querySelectorAll('.cc-method')).map((r) => r.textContent)).toEqual([
    expect.stringMatching(/Visa ending 1111 expires\u00a012\/31DefaultRemove$/),
  ]);
  expect(radios(el).find((r) => r.checked)?.value).toBe('pi-visa');
  expect(callbacks.filter((c) => c.name === 'error').at(-1)?.detail).toMatchObject({
    code: 'payment_method_not_found',
  });
  // The page's own list of the shopper's cards follows (README "Events": change).
  expect(events.filter((e) => e.type === 'checkout:change').at(-1)?.detail).toMatchObject({
    paymentMethod: 'saved',
    savedCards: [expect.objectContaining({ id: 'pi-visa', isDefault: true })],
  });
  // Pay now pays with the Visa, once.
  stub.routes['POST /api/checkout/payments'] = (req) => ({ status: 201, body: paid(req) });
  fireEvent.click(payButton(el));
  await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(2));
  expect(stub.calls('POST', '/api/checkout/payments')[1]?.body).toMatchObject({
    paymentMethodId: 'pi-visa',
  });
});

test('a card removed in another tab, the list unreadable: the card is dropped all the same', async () => {
  stub.routes['POST /api/checkout/payments'] = {
    status: 404,
    body: { error: { code: 'payment_method_not_found', message: 'Payment method not found.' } },
  };
  stub.routes['GET /api/payment-methods'] = (_req, n) =>
    n === 1 ? { status: 200, body: SAVED } : { status: 503, body: {} };
  const { el } = mountWidget();
  await ready(el);
  fireEvent.click(payButton(el));
  await waitFor(() => expect(el.querySelector('.cc-notice')?.textContent).toContain('removed'));
  expect(el.querySelectorAll('.cc-method')).toHaveLength(1);
  expect(radios(el).find((r) => r.checked)?.value).toBe('pi-visa');
});

test('a saved-card payment refused naming billing fields is "went wrong" for the merchant, not errors on the hidden new-card form', async () => {
  stub.routes['POST /api/checkout/payments'] = gatewayRefusal('MISSING_FIELD', [
    'orderInformation.billTo.firstName',
    'orderInformation.billTo.email',
  ]);
  const { el, callbacks } = mountWidget();
  await ready(el);
  expect(radios(el).find((r) => r.checked)?.value).toBe('pi-amex');
  fireEvent.click(payButton(el));
  await waitFor(() =>
    expect(el.querySelector('.cc-notice')?.textContent).toContain('Something went wrong'),
  );
  expect(el.querySelectorAll('[aria-invalid=true]')).toHaveLength(0);
  expect(callbacks.filter((c) => c.name === 'error')).toHaveLength(1);
});

test('a saved card’s security code declined leaves checkout:change complete: the saved card has no code to type again', async () => {
  stub.routes['POST /api/checkout/payments'] = {
    status: 402,
    body: { error: { code: 'card_declined', reason: 'CV_FAILED', message: 'Declined' } },
  };
  const { el, events } = mountWidget();
  await ready(el);
  const last = () => events.filter((e) => e.type === 'checkout:change').at(-1)?.detail;
  fireEvent.click(radios(el)[0] as HTMLInputElement);
  fireEvent.click(payButton(el));
  await waitFor(() =>
    expect(el.querySelector('.cc-notice')?.textContent).toBe('The security code did not match.'),
  );
  // Pay is on for the saved card, and nothing the shopper could change would make the
  // merchant's own "Place order" complete again.
  expect(payButton(el).disabled).toBe(false);
  expect(last()).toMatchObject({ paymentMethod: 'saved', complete: true });
});

test('removing the last saved card moves focus to the new-card form, never into the void', async () => {
  stub.routes['GET /api/payment-methods'] = {
    status: 200,
    body: { paymentMethods: [{ id: 'pi-visa', brand: 'VISA', last4: '1111', default: true }] },
  };
  const { el } = mountWidget();
  await ready(el);
  fireEvent.click(el.querySelector('[data-cc-remove=pi-visa]') as HTMLElement);
  fireEvent.click(el.querySelector('[data-cc-confirm]') as HTMLElement);
  await waitFor(() => expect(el.querySelector('.cc-saved')).toBeNull());
  expect(el.querySelector('[role=status]')?.textContent).toBe('Card removed.');
  expect(world.focused).toEqual(['number']);
});

test('make default updates the list', async () => {
  const { el, events } = mountWidget();
  await ready(el);
  fireEvent.click(
    Array.from(el.querySelectorAll('button')).find(
      (b) => b.textContent === 'Make default',
    ) as HTMLElement,
  );
  await waitFor(() =>
    expect(stub.calls('PUT', '/api/payment-methods/pi-visa/default')).toHaveLength(1),
  );
  await waitFor(() => expect(el.querySelector('.cc-method')?.textContent).toContain('Default'));
  expect(el.querySelector('[role=status]')?.textContent).toBe('Default card updated.');
  expect(events.filter((e) => e.type === 'checkout:change').at(-1)?.detail).toMatchObject({
    savedCards: [
      expect.objectContaining({ id: 'pi-visa', isDefault: true }),
      expect.objectContaining({ id: 'pi-amex', isDefault: false }),
    ],
  });
});

test('a failed delete says so and keeps the card', async () => {
  stub.routes['DELETE /api/payment-methods/*'] = {
    status: 500,
    body: { error: { code: 'server_error' } },
  };
  const { el } = mountWidget();
  await ready(el);
  fireEvent.click(el.querySelector('[data-cc-remove=pi-visa]') as HTMLElement);
  fireEvent.click(el.querySelector('[data-cc-confirm]') as HTMLElement);
  await waitFor(() => expect(el.textContent).toContain('Something went wrong.'));
  expect(el.querySelectorAll('.cc-method')).toHaveLength(2);
});

test('choosing a new card shows the fields and validates them', async () => {
  const { el } = mountWidget();
  await ready(el);
  fireEvent.click(radios(el)[2] as HTMLInputElement);
  expect(el.querySelector<HTMLElement>('[data-cc-field=number]')?.closest('[hidden]')).toBeNull();
  fireEvent.click(payButton(el));
  expect(world.focused).toEqual(['number']);
  expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(0);
});

test('change events name the typed card’s networks only while the new card is chosen', async () => {
  const { el, events } = mountWidget();
  await ready(el);
  const last = () => events.filter((e) => e.type === 'checkout:change').at(-1)?.detail;
  fireEvent.click(radios(el)[2] as HTMLInputElement);
  world.typeCard();
  expect(last()).toMatchObject({ brands: ['001'] });
  // A saved card pays: the card typed (and kept) in the hidden fields is not what is used.
  fireEvent.click(radios(el)[0] as HTMLInputElement);
  expect(last()).toMatchObject({ brands: [] });
  fireEvent.click(radios(el)[2] as HTMLInputElement);
  expect(last()).toMatchObject({ brands: ['001'] });
});

test('a card that pays for a subscription cannot be removed: says why, focus back on Remove', async () => {
  stub.routes['DELETE /api/payment-methods/*'] = {
    status: 409,
    body: {
      error: {
        code: 'payment_method_in_use',
        message: 'This card pays for a subscription.',
      },
    },
  };
  const { el } = mountWidget();
  await ready(el);
  fireEvent.click(el.querySelector('[data-cc-remove=pi-amex]') as HTMLElement);
  fireEvent.click(el.querySelector('[data-cc-confirm]') as HTMLElement);
  const text =
    "This card pays for a subscription. Change the subscription's card or cancel it first.";
  await waitFor(() => expect(el.querySelector('.cc-notice')?.textContent).toBe(text));
  expect(el.querySelector('[role=status]')?.textContent).toBe(text);
  expect(el.querySelectorAll('.cc-method')).toHaveLength(2);
  // The confirm button it was on is gone: focus is on the card's Remove button, not lost.
  expect(document.activeElement).toBe(el.querySelector('[data-cc-remove=pi-amex]'));
});

test('a card with a payment still being confirmed cannot be removed yet: says so', async () => {
  stub.routes['DELETE /api/payment-methods/*'] = {
    status: 409,
    body: { error: { code: 'payment_in_progress', message: 'Still confirming.' } },
  };
  const { el } = mountWidget();
  await ready(el);
  fireEvent.click(el.querySelector('[data-cc-remove=pi-amex]') as HTMLElement);
  fireEvent.click(el.querySelector('[data-cc-confirm]') as HTMLElement);
  const text = 'We are still confirming your previous payment. Do not pay again.';
  await waitFor(() => expect(el.querySelector('.cc-notice')?.textContent).toBe(text));
  expect(el.querySelectorAll('.cc-method')).toHaveLength(2);
});

test('a card already removed in another tab (404) leaves the list as removed', async () => {
  stub.routes['DELETE /api/payment-methods/*'] = {
    status: 404,
    body: { error: { code: 'payment_method_not_found', message: 'Unknown saved payment method.' } },
  };
  const { el } = mountWidget();
  await ready(el);
  fireEvent.click(el.querySelector('[data-cc-remove=pi-amex]') as HTMLElement);
  fireEvent.click(el.querySelector('[data-cc-confirm]') as HTMLElement);
  await waitFor(() => expect(el.querySelector('[role=status]')?.textContent).toBe('Card removed.'));
  expect(el.querySelector('[data-cc-remove=pi-amex]')).toBeNull();
  expect(el.querySelector('.cc-notice')).toBeNull();
});

test('after Make default (its button becomes the Default tag), focus is on that card', async () => {
  const { el } = mountWidget();
  await ready(el);
  const button = Array.from(el.querySelectorAll('button')).find(
    (b) => b.textContent === 'Make default',
  ) as HTMLElement;
  button.focus();
  fireEvent.click(button);
  await waitFor(() =>
    expect(el.querySelector('[role=status]')?.textContent).toBe('Default card updated.'),
  );
  expect(document.activeElement).toBe(radios(el)[0]);
  expect(radios(el)[0]?.value).toBe('pi-visa');
});

test('a language or item change keeps the card the shopper chose, and "save this card" for the same item', async () => {
  const { el, handle } = mountWidget();
  await ready(el);
  const box = () => el.querySelector<HTMLInputElement>('.cc-check input[type=checkbox]');
  // A new card, to be kept: the shopper is typing it when the page changes the language.
  fireEvent.click(radios(el).at(-1) as HTMLInputElement);
  fireEvent.click(box() as HTMLInputElement);
  expect(box()?.checked).toBe(true);
  handle.update({ locale: 'fr' });
  await waitFor(() => expect(el.querySelector('.cc')?.getAttribute('lang')).toBe('fr'));
  await ready(el);
  expect(radios(el).map((r) => [r.value, r.checked])).toEqual([
    ['pi-visa', false],
    ['pi-amex', false],
    ['new', true],
  ]);
  expect(box()?.checked).toBe(true);
  // Another item: still the new card (paying would otherwise charge the default one), and
  // "save this card" back to the merchant's choice for it.
  handle.update({ item: 'donation', amount: 700 });
  await waitFor(() => expect(payButton(el).textContent).toMatch(/7,00/));
  expect(radios(el).find((r) => r.checked)?.value).toBe('new');
  expect(box()?.checked).toBe(false);
  // A saved card chosen stays chosen too.
  fireEvent.click(radios(el)[0] as HTMLInputElement);
  handle.update({ locale: 'de' });
  await waitFor(() => expect(el.querySelector('.cc')?.getAttribute('lang')).toBe('de'));
  await ready(el);
  expect(radios(el).find((r) => r.checked)?.value).toBe('pi-visa');
  expect(stub.sessions).toBe(1);
});

const LIMITED = {
  status: 429,
  body: { error: { code: 'rate_limited' } },
  headers: { 'retry-after': '60' },
};
const notice = (el: HTMLElement) => el.querySelector('.cc-notice')?.textContent;
const errorCodes = (events: { type: string; detail: unknown }[]) =>
  events.filter((e) => e.type === 'checkout:error').map((e) => (e.detail as { code: string }).code);

test('each language or item change reads the list again: a card saved or removed elsewhere (another checkout, another tab) shows', async () => {
  const { el, handle } = mountWidget();
  await ready(el);
  stub.routes['GET /api/payment-methods'] = {
    status: 200,
    body: {
      paymentMethods: [
        ...SAVED.paymentMethods.slice(1),
        { ...SAVED.paymentMethods[0], id: 'pi-new' },
      ],
    },
  };
  handle.update({ locale: 'de' });
  await waitFor(() => expect(radios(el).map((r) => r.value)).toEqual(['pi-amex', 'pi-new', 'new']));
});

test('a list that cannot be read again (429: language switches spent the shopper’s reads) keeps the cards read before, and the choice', async () => {
  const { el, handle, events } = mountWidget();
  await ready(el);
  fireEvent.click(radios(el)[0] as HTMLInputElement);
  stub.routes['GET /api/payment-methods'] = LIMITED;
  for (const locale of ['fr', 'de'] as const) {
    handle.update({ locale });
    await waitFor(() => expect(el.querySelector('.cc')?.getAttribute('lang')).toBe(locale));
    await ready(el);
  }
  expect(stub.calls('GET', '/api/payment-methods')).toHaveLength(3);
  expect(radios(el).map((r) => [r.value, r.checked])).toEqual([
    ['pi-visa', true],
    ['pi-amex', false],
    ['new', false],
  ]);
  expect(notice(el)).toBeUndefined();
  expect(errorCodes(events)).toEqual([]);
});

test('saved cards the stub cannot list (429) are said to be unavailable, never shown as none; the list read later chooses the default', async () => {
  stub.routes['GET /api/payment-methods'] = (_, n) =>
    n === 1 ? LIMITED : { status: 200, body: SAVED };
  const { el, handle, events } = mountWidget();
  await ready(el);
  expect(notice(el)).toBe(
    'Your saved cards cannot be shown right now. You can pay with a new card.',
  );
  expect(events.filter((e) => e.type === 'checkout:error').map((e) => e.detail)).toEqual([
    { code: 'saved_cards_unavailable', message: notice(el) },
  ]);
  expect(radios(el)).toEqual([]);
  const changes = events.filter((e) => e.type === 'checkout:change').length;
  handle.update({ locale: 'fr' });
  await waitFor(() =>
    expect(radios(el).map((r) => r.value)).toEqual(['pi-visa', 'pi-amex', 'new']),
  );
  // As on a first load: the default card, and the merchant hears of the list.
  expect(radios(el).find((r) => r.checked)?.value).toBe('pi-amex');
  expect(notice(el)).toBeUndefined();
  const change = events.filter((e) => e.type === 'checkout:change').slice(changes);
  expect(change.at(-1)?.detail).toMatchObject({
    paymentMethod: 'saved',
    savedCards: [{ id: 'pi-visa' }, { id: 'pi-amex' }],
  });
});

test('a restart whose list cannot be read (price changed during a refresh, reads spent) keeps the cards', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  try {
    const { el, events } = mountWidget();
    await ready(el);
    // The refresh's session is slow to come back: no fields loaded, a saved card still pays.
    const answer = holdSession(stub, 2);
    await vi.advanceTimersByTimeAsync(900_000 - REFRESH_LEAD_MS);
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/sessions')).toHaveLength(2));
    stub.routes['GET /api/catalog'] = {
      status: 200,
      body: { currency: 'USD', products: [{ id: 'tee', name: 'T-shirt', amount: 3000 }] },
    };
    stub.routes['POST /api/checkout/payments'] = {
      status: 409,
      body: { error: { code: 'price_changed', message: 'changed' } },
    };
    stub.routes['GET /api/payment-methods'] = LIMITED;
    fireEvent.click(payButton(el));
    await waitFor(() => expect(payButton(el).textContent).toBe('Pay $30.00'));
    answer();
    await vi.advanceTimersByTimeAsync(100);
    expect(stub.calls('GET', '/api/payment-methods')).toHaveLength(2);
    expect(radios(el).map((r) => [r.value, r.checked])).toEqual([
      ['pi-visa', false],
      ['pi-amex', true],
      ['new', false],
    ]);
    expect(errorCodes(events)).toEqual(['price_changed']);
  } finally {
    vi.useRealTimers();
  }
});

test('a lost session renewed for another shopper (a new cookie) lists that shopper’s cards, not the previous one’s', async () => {
  // The shopper cookie was cleared: the payment is refused, and the renewed session belongs to
  // a new shopper, who has no saved cards.
  stub.routes['GET /api/payment-methods'] = (_req, n) => ({
    status: 200,
    body: n === 1 ? SAVED : { paymentMethods: [] },
  });
  stub.routes['POST /api/checkout/payments'] = (req, n) =>
    n === 1
      ? { status: 404, body: { error: { code: 'session_not_found' } } }
      : { status: 201, body: paid(req) };
  const { el, events } = mountWidget();
  await ready(el);
  fireEvent.click(radios(el).at(-1) as HTMLInputElement);
  fillValid(el, world);
  fireEvent.click(payButton(el));
  await waitFor(() => expect(stub.sessions).toBe(2));
  await ready(el);
  // Choosing one of the previous shopper's cards would only say it was removed.
  await waitFor(() => expect(el.querySelector('.cc-saved')).toBeNull());
  expect(events.filter((e) => e.type === 'checkout:change').at(-1)?.detail).toMatchObject({
    paymentMethod: 'new',
    savedCards: [],
  });
  expect(world.focused.at(-1)).toBe('number');
});

test('a lost session renewed for another shopper whose cards cannot be read reports saved_cards_unavailable, as a start does, and reads them at the next change', async () => {
  // The renewed session's shopper: the stub cannot list their cards (its per-shopper limit, a
  // TMS outage), so whether they have any is unknown.
  stub.routes['GET /api/payment-methods'] = (_req, n) =>
    n === 1 ? { status: 200, body: SAVED } : LIMITED;
  stub.routes['POST /api/checkout/payments'] = (req, n) =>
    n === 1
      ? { status: 404, body: { error: { code: 'session_not_found' } } }
      : { status: 201, body: paid(req) };
  const { el, handle, events } = mountWidget();
  await ready(el);
  fireEvent.click(radios(el).at(-1) as HTMLInputElement);
  fillValid(el, world);
  fireEvent.click(payButton(el));
  await waitFor(() => expect(stub.calls('GET', '/api/payment-methods')).toHaveLength(2));
  await ready(el);
  await waitFor(() => expect(errorCodes(events)).toEqual(['saved_cards_unavailable']));
  expect(radios(el)).toEqual([]);
  // As at a start, a notice already due keeps its place: here the card to type again.
  expect(notice(el)).toBe('Please enter your card number and security code again.');
  // Unread, the list is read at the next item or language change, as after a start.
  stub.routes['GET /api/payment-methods'] = { status: 200, body: SAVED };
  const changes = events.filter((e) => e.type === 'checkout:change').length;
  handle.update({ locale: 'fr' });
  await waitFor(() =>
    expect(radios(el).map((r) => r.value)).toEqual(['pi-visa', 'pi-amex', 'new']),
  );
  expect(events.filter((e) => e.type === 'checkout:change').length).toBeGreaterThan(changes);
});
