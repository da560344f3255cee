// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import { mount } from '../../widget/mount.tsx';
import type { FlexWorld } from './fake-flex.ts';
import {
  ENDPOINT,
  eachTest,
  type FakeStub,
  fill,
  fillValid,
  fireEvent,
  gatewayRefusal,
  input,
  LIBRARY,
  mountWidget,
  paid,
  payButton,
  ready,
  waitFor,
} from './harness.ts';

let stub: FakeStub;
let world: FlexWorld;

eachTest((t) => ({ stub, world } = t));

const liveRegion = (el: HTMLElement) =>
  el.querySelector('[role=status][aria-live=polite]')?.textContent ?? '';

/**
 * An outcome is said in the one live region (issue 5: "announced through one persistent live
 * region") and focus moves to the notice or receipt (tabindex -1) that shows it.
 */
const told = (el: HTMLElement, selector: string, text: string) => {
  const shown = el.querySelector(selector);
  expect(shown?.textContent).toContain(text);
  // happy-dom focuses any element; a browser only one with a tabindex.
  expect(shown?.getAttribute('tabindex')).toBe('-1');
  expect(document.activeElement).toBe(shown);
  expect(liveRegion(el)).toContain(text);
};

describe('loading and ready', () => {
  test('shows loading, then the item, its price and an enabled pay button; emits ready both ways', async () => {
    const { el, events, callbacks } = mountWidget();
    expect(el.textContent).toContain('Loading');
    expect(payButton(el).disabled).toBe(true);
    await ready(el);
    expect(el.querySelector('.cc-item')?.textContent).toContain('T-shirt');
    expect(payButton(el).textContent).toBe('Pay $25.00');
    const readyEvent = events.find((e) => e.type === 'checkout:ready');
    expect(readyEvent?.detail).toMatchObject({
      item: { id: 'tee', amount: 2500, currency: 'USD' },
      savedCards: 0,
      testMode: true,
    });
    expect(callbacks.filter((c) => c.name === 'ready')).toHaveLength(1);
    // The stub's SessionBody is a strict empty object.
    expect(stub.calls('POST', '/api/checkout/sessions')[0]?.body).toEqual({});
    // Every call carries the shopper cookie.
    expect(stub.requests.every((r) => r.credentials === 'include')).toBe(true);
    expect(stub.calls('POST', '/api/checkout/sessions')[0]?.headers['Idempotency-Key']).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });

  test('asks for the session with the catalog and the saved cards, not after them', async () => {
    // A returning shopper's saved cards take a CyberSource call; the session must not wait for it.
    let listCards: (reply: unknown) => void = () => undefined;
    stub.routes['GET /api/payment-methods'] = () =>
      new Promise((resolve) => {
        listCards = () => resolve({ status: 200, body: { paymentMethods: [] } });
      });
    const { el } = mountWidget();
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/sessions')).toHaveLength(1));
    expect(stub.calls('GET', '/api/payment-methods')).toHaveLength(1);
    expect(payButton(el).disabled).toBe(true);
    listCards(undefined);
    await ready(el);
    // One session for the one checkout.
    expect(stub.calls('POST', '/api/checkout/sessions')).toHaveLength(1);
  });

  test('card number and security code are Microform iframes, never inputs', async () => {
    const { el } = mountWidget();
    await ready(el);
    const inputs = Array.from(el.querySelectorAll('input'));
    expect(
      inputs
        .map((i) => i.name)
        .filter(Boolean)
        .sort(),
    ).toEqual(['email', 'expiry', 'name']);
    for (const i of inputs) expect(i.autocomplete ?? '').not.toMatch(/cc-number|cc-csc/);
    expect(el.querySelector('[data-cc-field=number] .fake-iframe')).not.toBeNull();
    expect(el.querySelector('[data-cc-field=securityCode] .fake-iframe')).not.toBeNull();
    expect(world.fields.map((f) => [f.type, f.options['aria-label']])).toEqual([
      ['number', 'Card number'],
      ['securityCode', 'Security code'],
    ]);
    // The expiry input is what autofill and numeric keyboards expect.
    expect(input(el, 'expiry').getAttribute('autocomplete')).toBe('cc-exp');
    expect(input(el, 'expiry').getAttribute('inputmode')).toBe('numeric');
    expect(input(el, 'name').getAttribute('autocomplete')).toBe('cc-name');
  });

  test('the events bubble: an ancestor hears ready, and an error reported during mount()', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const page = document.createElement('main');
    const [good, bad] = [document.createElement('div'), document.createElement('div')];
    page.append(good, bad);
    document.body.append(page);
    const heard: [string, unknown][] = [];
    for (const type of ['checkout:ready', 'checkout:error'])
      page.addEventListener(type, (e) => heard.push([type, e.target]));
    mount(good, { endpoint: ENDPOINT, item: 'tee' });
    await ready(good);
    mount(bad, { endpoint: ENDPOINT, item: 'tee', theme: 'pink' } as never);
    expect(heard).toEqual([
      ['checkout:ready', good],
      ['checkout:error', bad],
    ]);
  });

  test('a merchant callback that throws is logged; its event is still sent and the checkout goes on', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const bug = new Error('merchant bug');
    const { el, events } = mountWidget({
      onReady: () => {
        throw bug;
      },
      onChange: () => {
        throw bug;
      },
    });
    await ready(el);
    fillValid(el, world);
    expect(log).toHaveBeenCalledWith(bug);
    expect(events.filter((e) => e.type === 'checkout:ready')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'checkout:change', detail: { complete: true } });
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    expect(events.at(-1)?.type).toBe('checkout:success');
  });

  test('the test-mode badge shows for the sandbox and not for production, unless the library is the test one', async () => {
    const a = mountWidget();
    await ready(a.el);
    expect(a.el.querySelector('.cc-badge')?.textContent).toBe('Test mode');
    a.handle.unmount();
    const production = async (library: string) => {
      stub.routes['POST /api/checkout/sessions'] = {
        status: 201,
        body: {
          sessionId: 's',
          captureContext: (await import('./harness.ts')).captureContext(library),
          expiresAt: Date.now() + 900_000,
          environment: 'production',
        },
      };
      const b = mountWidget();
      await ready(b.el);
      const badge = b.el.querySelector('.cc-badge')?.textContent;
      b.handle.unmount();
      return badge;
    };
    expect(
      await production(
        'https://flex.cybersource.com/microform/bundle/v2.0.2/flex-microform.min.js',
      ),
    ).toBeUndefined();
    // Marked production, yet CyberSource's test library (testflex.), which takes only test cards.
    expect(await production(LIBRARY)).toBe('Test mode');
  });
});

describe('paying with a new card', () => {
  test('tokenizes, posts the token with a key, shows success and emits the stub result', async () => {
    const { el, events, callbacks } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    expect(world.tokenCalls[0]?.options).toEqual({ expirationMonth: '12', expirationYear: '2039' });
    const [post] = stub.calls('POST', '/api/checkout/payments');
    expect(post?.body).toEqual({
      sessionId: 'sess-1',
      transientToken: 'transient-1',
      // The price and currency shown: the stub refuses others (price_changed).
      item: { id: 'tee', amount: 2500, currency: 'USD' },
      savePaymentMethod: false,
      email: 'ada@example.com',
    });
    expect(post?.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(el.querySelector('.cc-done')?.textContent).toBe(
      'Payment successful. $25.00 paid with Visa ending 1111.',
    );
    told(el, '.cc-done', 'Payment successful.');
    const success = events.find((e) => e.type === 'checkout:success');
    expect(success?.detail).toEqual({
      payment: {
        id: 'pay-1',
        status: 'AUTHORIZED',
        amount: 2500,
        currency: 'USD',
        card: { brand: 'VISA', last4: '1111' },
      },
    });
    expect(callbacks.find((c) => c.name === 'success')?.detail).toEqual(success?.detail);
    // Fields are released once paid.
    expect(world.fields.every((f) => f.disposed)).toBe(true);
  });

  test('change events say which networks and whether complete, never card data', async () => {
    const { el, events } = mountWidget();
    await ready(el);
    world.typeCard([
      { name: 'cartesbancaires', cybsCardType: '036' },
      { name: 'visa', cybsCardType: '001' },
    ]);
    // Co-badged: both marks.
    expect(
      Array.from(el.querySelectorAll('svg.cc-brand')).map((s) => s.getAttribute('data-brand')),
    ).toEqual(['CARTESBANCAIRES', 'VISA']);
    // Typed, never left: the last keystroke already says complete, and clearing a field says not.
    fill(el, { expiry: '01/38', name: 'A B', email: 'a@b.co' });
    const last = () => events.filter((e) => e.type === 'checkout:change').at(-1)?.detail;
    expect(last()).toEqual({
      paymentMethod: 'new',
      complete: true,
      brands: ['036', '001'],
      savedCards: [],
    });
    fill(el, { expiry: '' });
    expect(last()).toMatchObject({ complete: false });
  });

  test('the pay button is disabled while paying, so a double click pays once', async () => {
    let release: () => void = () => {};
    stub.routes['POST /api/checkout/payments'] = (req) =>
      new Promise((resolve) => {
        release = () =>
          resolve({
            status: 201,
            body: { payment: { id: 'p', status: 'AUTHORIZED', amount: 2500, currency: 'USD' } },
          });
        void req;
      });
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    fireEvent.click(payButton(el));
    fireEvent.submit(el.querySelector('form') as HTMLFormElement);
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
    expect(payButton(el).disabled).toBe(true);
    expect(payButton(el).textContent).toBe('Processing…');
    fireEvent.click(payButton(el));
    release();
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    expect(world.tokenCalls).toHaveLength(1);
    expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1);
  });

  test('Enter inside a Microform field submits', async () => {
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    world.field('number').emit('inputSubmitRequest');
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
  });

  test('Enter on "save this card" ticks it, and pays nothing (a browser submits the form on it)', async () => {
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    const save = el.querySelector<HTMLInputElement>('input[type=checkbox]') as HTMLInputElement;
    expect(save.checked).toBe(false);
    const pressed = fireEvent.keyDown(save, { key: 'Enter' });
    expect(pressed).toBe(false); // the form's submission is prevented
    expect(save.checked).toBe(true);
    fireEvent.keyDown(save, { key: 'Enter' });
    expect(save.checked).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(0);
  });
});

describe('validation', () => {
  test('submitting empty shows inline messages, says them once, focuses the card number field', async () => {
    const { el } = mountWidget();
    await ready(el);
    fireEvent.click(payButton(el));
    const errors = Array.from(el.querySelectorAll('.cc-error')).map((e) => e.textContent);
    expect(errors).toEqual(['Required.', 'Required.', 'Required.', 'Required.', 'Required.']);
    // The field is named: "Required." alone does not say which.
    expect(liveRegion(el)).toBe('Please fix: Card number: Required.');
    expect(world.focused).toEqual(['number']);
    expect(input(el, 'expiry').getAttribute('aria-invalid')).toBe('true');
    expect(input(el, 'expiry').getAttribute('aria-describedby')).toBe(
      el.querySelector('.cc-row .cc-error')?.id,
    );
    expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(0);
    expect(world.tokenCalls).toHaveLength(0);
    // There is one live region, and it stays.
    expect(el.querySelectorAll('[aria-live]')).toHaveLength(1);
  });

  test('the same problem found again is said again: the live region changes, so it is re-read', async () => {
    const { el } = mountWidget();
    await ready(el);
    fireEvent.click(payButton(el));
    const first = liveRegion(el);
    fireEvent.click(payButton(el));
    // A live region whose text stays the same is not read again: a trailing no-break space
    // toggles, so each repeat is a change.
    expect(liveRegion(el)).not.toBe(first);
    expect(liveRegion(el).trim()).toBe(first);
    fireEvent.click(payButton(el));
    expect(liveRegion(el)).toBe(first);
  });

  test('our checks: expiry format and not past, email; focus goes to the first of ours', async () => {
    const { el } = mountWidget();
    await ready(el);
    world.typeCard();
    fill(el, { expiry: '01/20', name: 'Ada', email: 'not-an-email' });
    fireEvent.click(payButton(el));
    expect(el.textContent).toContain('This card has expired.');
    expect(el.textContent).toContain('Check the email address.');
    expect(document.activeElement).toBe(input(el, 'expiry'));
    fill(el, { expiry: '13/30' });
    fireEvent.focusOut(input(el, 'expiry'));
    expect(el.textContent).toContain('Use MM/YY.');
  });

  test('typing the expiry adds the slash; typing clears that field’s error', async () => {
    const { el } = mountWidget();
    await ready(el);
    fireEvent.click(payButton(el));
    fill(el, { expiry: '1234' });
    expect(input(el, 'expiry').value).toBe('12/34');
    expect(input(el, 'expiry').getAttribute('aria-invalid')).toBeNull();
  });

  test('a month corrected in place is left as typed: "12/27" → "1/27" → "11/27", never "01/27"', async () => {
    const { el } = mountWidget();
    await ready(el);
    const box = input(el, 'expiry');
    fill(el, { expiry: '12/27' });
    // Backspace after "12": the value "1/27" with the caret after the "1".
    box.value = '1/27';
    box.setSelectionRange(1, 1);
    fireEvent.input(box);
    expect(box.value).toBe('1/27');
    expect(box.selectionEnd).toBe(1);
    box.value = '11/27';
    box.setSelectionRange(2, 2);
    fireEvent.input(box);
    expect(box.value).toBe('11/27');
    // Typed forward, a one-digit month and a slash still get their zero (the slash comes back
    // with the year).
    fill(el, { expiry: '3/' });
    expect(box.value).toBe('03');
  });

  test('a pasted or autofilled four-digit year becomes MM/YY (no maxlength cuts it first)', async () => {
    const { el } = mountWidget();
    await ready(el);
    // A maxlength of 5 would make the browser keep "01/20" of a pasted "01/2027".
    expect(input(el, 'expiry').hasAttribute('maxlength')).toBe(false);
    fill(el, { expiry: '01/2027' });
    expect(input(el, 'expiry').value).toBe('01/27');
    fill(el, { expiry: '1/2031' });
    expect(input(el, 'expiry').value).toBe('01/31');
  });

  test('a Microform field’s error is its accessible description, set and cleared through update()', async () => {
    const { el } = mountWidget();
    await ready(el);
    const description = (type: 'number' | 'securityCode') =>
      world.field(type).options.description ?? '';
    expect(description('number')).toBe('');
    // Submitting empty: each iframe's input is described by its error, as our inputs are by
    // aria-describedby, so focus moved into it reads the error (the iframe cannot point at ours).
    fireEvent.click(payButton(el));
    expect(description('number')).toBe('Required.');
    expect(description('securityCode')).toBe('Required.');
    world.field('number').emit('change', { valid: false, couldBeValid: false, empty: false });
    world.field('number').emit('blur');
    expect(description('number')).toBe('Check the card number.');
    world.typeCard();
    expect(description('number')).toBe('');
    expect(description('securityCode')).toBe('');
  });

  test('an error found on blur is said once in the live region, with the field’s name', async () => {
    const { el } = mountWidget();
    await ready(el);
    fill(el, { email: 'not-an-email' });
    fireEvent.focusOut(input(el, 'email'));
    expect(liveRegion(el)).toBe('Email: Check the email address.');
    // Leaving the field again without a change says nothing new.
    fireEvent.focusOut(input(el, 'email'));
    expect(liveRegion(el)).toBe('Email: Check the email address.');
    world
      .field('number')
      .emit('change', { card: [], valid: false, couldBeValid: true, empty: false });
    world.field('number').emit('blur');
    expect(liveRegion(el)).toBe('Card number: Check the card number.');
    // An empty field left behind stays quiet (tabbing through the form).
    fireEvent.focusOut(input(el, 'name'));
    expect(liveRegion(el)).toBe('Card number: Check the card number.');
    expect(el.querySelectorAll('[aria-live]')).toHaveLength(1);
  });

  test('a field left for the pay button is not judged under the pointer: the click pays or says why', async () => {
    const { el } = mountWidget();
    await ready(el);
    world.typeCard();
    fill(el, { expiry: '12/31', name: 'Ada', email: 'not-an-email' });
    // Pressing Pay takes focus from the email field: no error line appears between the press
    // and the release (it would push the button from under the pointer, and the click is lost).
    fireEvent.pointerDown(payButton(el));
    fireEvent.focusOut(input(el, 'email'));
    expect(el.querySelectorAll('.cc-error')).toHaveLength(0);
    fireEvent.click(payButton(el));
    expect(el.textContent).toContain('Check the email address.');
    expect(liveRegion(el)).toBe('Please fix: Email: Check the email address.');
    // A press that slides off the button ends without a click: leaving a field is judged again.
    fill(el, { name: '' });
    fireEvent.pointerDown(payButton(el));
    fireEvent.pointerLeave(payButton(el));
    fill(el, { email: 'still-not-an-email' });
    fireEvent.focusOut(input(el, 'email'));
    expect(liveRegion(el)).toBe('Email: Check the email address.');
  });

  test('Microform change and blur drive the card fields’ messages', async () => {
    const { el } = mountWidget();
    await ready(el);
    world
      .field('number')
      .emit('change', { card: [], valid: false, couldBeValid: true, empty: false });
    world.field('number').emit('blur');
    const inline = () => el.querySelector('.cc-error')?.textContent;
    expect(inline()).toBe('Check the card number.');
    world
      .field('number')
      .emit('change', { card: [{ name: 'visa', cybsCardType: '001' }], valid: true, empty: false });
    expect(inline()).toBeUndefined();
  });

  test('createToken validation errors land on their fields', async () => {
    world.tokens.push({
      error: {
        name: 'MicroformError',
        reason: 'CREATE_TOKEN_VALIDATION_FIELDS',
        details: [{ location: 'securityCode', message: 'Validation error' }],
      },
    });
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.textContent).toContain('Check the security code.'));
    expect(world.focused.at(-1)).toBe('securityCode');
    expect(payButton(el).disabled).toBe(false);
  });
});

describe('declines and uncertain outcomes', () => {
  test.each([
    ['INSUFFICIENT_FUND', 'Insufficient funds. Try another card.', false],
    ['EXPIRED_CARD', 'Your card has expired. Try another card.', false],
    ['CV_FAILED', 'The security code did not match.', true],
    ['CVN_NOT_MATCH', 'The security code did not match.', true],
    ['INVALID_CVN', 'The security code did not match.', true],
    ['PROCESSOR_DECLINED', 'Your card was declined. Try another card.', false],
  ])('%s reads "%s" and the shopper can pay again', async (reason, message, cvv) => {
    stub.routes['POST /api/checkout/payments'] = (req, n) =>
      n === 1
        ? { status: 402, body: { error: { code: 'card_declined', reason, message: 'Declined' } } }
        : {
            status: 201,
            body: { payment: { id: 'p2', status: 'AUTHORIZED', amount: 2500, currency: 'USD' } },
            req,
          };
    const { el, events } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.querySelector('.cc-notice')?.textContent).toContain(message));
    told(el, '.cc-notice', message);
    expect(events.find((e) => e.type === 'checkout:error')?.detail).toEqual({
      code: 'card_declined',
      reason,
      message,
    });
    // A security code that did not match marks that field (its frame, and its iframe's input
    // described by the error), so the shopper sees what to retype; other declines mark none.
    const cvvFrame = el.querySelector('[data-cc-field=securityCode]')?.parentElement;
    expect(cvvFrame?.classList.contains('cc-invalid')).toBe(cvv);
    expect(world.field('securityCode').options.description ?? '').toBe(
      cvv ? 'Check the security code.' : '',
    );
    expect(payButton(el).disabled).toBe(false);
    // A new attempt: a new token and a new key.
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    const [a, b] = stub.calls('POST', '/api/checkout/payments');
    expect(a?.headers['Idempotency-Key']).not.toBe(b?.headers['Idempotency-Key']);
    expect(world.tokenCalls).toHaveLength(2);
  });

  test('after a security code that did not match, checkout:change says incomplete until it is typed again', async () => {
    stub.routes['POST /api/checkout/payments'] = {
      status: 402,
      body: { error: { code: 'card_declined', reason: 'CV_FAILED', message: 'Declined' } },
    };
    const { el, events } = mountWidget();
    await ready(el);
    fillValid(el, world);
    const last = () => events.filter((e) => e.type === 'checkout:change').at(-1)?.detail;
    expect(last()).toMatchObject({ complete: true });
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.querySelector('.cc-notice')).not.toBeNull());
    // A merchant enabling its own "Place order" on `complete` must not offer the code refused.
    expect(last()).toMatchObject({ complete: false });
    // Other fields typed meanwhile do not make it complete either.
    fill(el, { name: 'Ada King' });
    expect(last()).toMatchObject({ complete: false });
    world.field('securityCode').emit('change', { valid: true, couldBeValid: true, empty: false });
    expect(last()).toMatchObject({ complete: true });
  });

  test('a price changed since the page loaded is said, the new one shown, and paying again charges what is shown', async () => {
    stub.routes['POST /api/checkout/payments'] = (req, n) =>
      n === 1
        ? { status: 409, body: { error: { code: 'price_changed', message: 'changed' } } }
        : {
            status: 201,
            body: { payment: { id: 'p2', status: 'AUTHORIZED', amount: 3000, currency: 'USD' } },
            req,
          };
    const { el, events } = mountWidget();
    await ready(el);
    fillValid(el, world);
    // The merchant raises the price after the page read the catalog.
    stub.routes['GET /api/catalog'] = {
      status: 200,
      body: { currency: 'USD', products: [{ id: 'tee', name: 'T-shirt', amount: 3000 }] },
    };
    fireEvent.click(payButton(el));
    const said = 'The price has changed, and you were not charged. Check the amount and pay again.';
    await waitFor(() => expect(payButton(el).textContent).toBe('Pay $30.00'));
    expect(el.querySelector('.cc-notice')?.textContent).toContain(said);
    expect(liveRegion(el)).toContain(said);
    expect(events.find((e) => e.type === 'checkout:error')?.detail).toMatchObject({
      code: 'price_changed',
    });
    // The card typed stays: the same session, no new fields.
    expect(stub.sessions).toBe(1);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    const [first, second] = stub.calls('POST', '/api/checkout/payments');
    expect(first?.body).toMatchObject({ item: { id: 'tee', amount: 2500, currency: 'USD' } });
    expect(second?.body).toMatchObject({ item: { id: 'tee', amount: 3000, currency: 'USD' } });
  });

  test('202 means "confirming"; Check again resends the same attempt with the same key', async () => {
    stub.routes['POST /api/checkout/payments'] = (req, n) =>
      n === 1
        ? { status: 202, body: { error: { code: 'payment_outcome_unknown', message: 'pending' } } }
        : {
            status: 201,
            body: { payment: { id: 'p', status: 'AUTHORIZED', amount: 2500, currency: 'USD' } },
            req,
          };
    const { el, events } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() =>
      expect(el.textContent).toContain('We are confirming your payment. Do not pay again.'),
    );
    expect(
      events.some(
        (e) =>
          e.type === 'checkout:error' &&
          (e.detail as { code: string }).code === 'payment_outcome_unknown',
      ),
    ).toBe(true);
    expect(payButton(el).disabled).toBe(true);
    const again = Array.from(el.querySelectorAll('.cc-notice button')).find(
      (b) => b.textContent === 'Check again',
    );
    fireEvent.click(again as HTMLElement);
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    const [a, b] = stub.calls('POST', '/api/checkout/payments');
    expect(b?.headers['Idempotency-Key']).toBe(a?.headers['Idempotency-Key']);
    expect(b?.body).toEqual(a?.body);
    expect(world.tokenCalls).toHaveLength(1);
  });

  test('a lost connection or a 502 is an unknown outcome too, retried with the same key', async () => {
    let n = 0;
    const real = globalThis.fetch;
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      if (url.endsWith('/api/checkout/payments') && ++n === 1)
        return Promise.reject(new TypeError('Failed to fetch'));
      return real(url, init);
    });
    stub.routes['POST /api/checkout/payments'] = (req, k) =>
      k === 1
        ? { status: 502, body: { error: { code: 'gateway_error' } } }
        : {
            status: 201,
            body: { payment: { id: 'p', status: 'AUTHORIZED', amount: 2500, currency: 'USD' } },
            req,
          };
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.textContent).toContain('We are confirming your payment.'));
    fireEvent.click(el.querySelector('.cc-notice button') as HTMLElement);
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
    await waitFor(() => expect(el.textContent).toContain('We are confirming your payment.'));
    fireEvent.click(el.querySelector('.cc-notice button') as HTMLElement);
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    const keys = new Set(
      stub.calls('POST', '/api/checkout/payments').map((r) => r.headers['Idempotency-Key']),
    );
    expect(keys.size).toBe(1);
  });

  test('429 says how long to wait; Try again pays afresh from the form as it is now', async () => {
    stub.routes['POST /api/checkout/payments'] = (req, n) =>
      n === 1
        ? {
            status: 429,
            headers: { 'Retry-After': '42' },
            body: { error: { code: 'rate_limited' } },
          }
        : {
            status: 201,
            body: { payment: { id: 'p', status: 'AUTHORIZED', amount: 2500, currency: 'USD' } },
            req,
          };
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() =>
      expect(el.textContent).toContain('Too many attempts. Please wait 42 seconds.'),
    );
    fireEvent.click(el.querySelector('.cc-notice button') as HTMLElement);
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    const [a, b] = stub.calls('POST', '/api/checkout/payments');
    // A 429 ran nothing (the stub gives the key back): a new attempt, with a new token.
    expect(b?.headers['Idempotency-Key']).not.toBe(a?.headers['Idempotency-Key']);
    expect(stub.calls('POST', '/api/checkout/sessions')).toHaveLength(1);
  });

  test.each([
    ['543', 'en', 'Too many attempts. Please wait 10 minutes.'],
    ['5400', 'en', 'Too many attempts. Please wait 2 hours.'],
    // Rounded up to 60 minutes, that is an hour.
    ['3599', 'en', 'Too many attempts. Please wait 1 hour.'],
    ['3540', 'en', 'Too many attempts. Please wait 59 minutes.'],
    ['543', 'de', 'Zu viele Versuche. Bitte 10 Minuten warten.'],
  ])('a %s s wait is said in whole minutes or hours (%s)', async (after, locale, text) => {
    stub.routes['POST /api/checkout/sessions'] = () => ({
      status: 429,
      headers: { 'Retry-After': after },
      body: { error: { code: 'rate_limited' } },
    });
    const { el } = mountWidget({ locale });
    await waitFor(() => expect(el.textContent).toContain(text));
  });

  test('after a 429, Try again pays the amount the merchant updated to meanwhile, not the old one', async () => {
    let answer429!: () => void;
    stub.routes['POST /api/checkout/payments'] = (req, n) =>
      n === 1
        ? new Promise((done) => {
            answer429 = () =>
              done({
                status: 429,
                headers: { 'Retry-After': '5' },
                body: { error: { code: 'rate_limited' } },
              });
          })
        : { status: 201, body: paid(req) };
    const { el, handle } = mountWidget({ item: 'donation', amount: 2500 });
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
    handle.update({ endpoint: ENDPOINT, item: 'donation', amount: 5000 });
    answer429();
    await waitFor(() => expect(payButton(el).textContent).toBe('Pay $50.00'));
    expect(el.textContent).toContain('Too many attempts. Please wait 5 seconds.');
    fireEvent.click(el.querySelector('.cc-notice button') as HTMLElement);
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    expect(stub.calls('POST', '/api/checkout/payments')[1]?.body).toMatchObject({
      item: { id: 'donation', amount: 5000 },
    });
  });

  test('a plan billed every 3 months says so on the pay button and in the ready event', async () => {
    stub.routes['GET /api/catalog'] = {
      status: 200,
      body: {
        currency: 'EUR',
        plans: [{ id: 'q', name: 'Quarterly', amount: 3000, interval: 'month', intervalCount: 3 }],
      },
    };
    const { el, events } = mountWidget({ item: 'q' });
    await ready(el);
    expect(payButton(el).textContent).toBe('Pay €30.00 / 3 months');
    expect(events.find((e) => e.type === 'checkout:ready')?.detail).toMatchObject({
      item: { intervalCount: 3 },
    });
  });

  test('a catalog refused by the stub reaches onError with the stub’s own code; closed is said as such', async () => {
    stub.routes['GET /api/catalog'] = {
      status: 503,
      body: { error: { code: 'checkout_disabled', message: 'Checkout is disabled.' } },
    };
    const { el, callbacks } = mountWidget();
    await waitFor(() => expect(el.textContent).toContain('Checkout is closed for now.'));
    expect(el.textContent).not.toContain('could not load');
    expect(callbacks.find((c) => c.name === 'error')?.detail).toMatchObject({
      code: 'checkout_disabled',
    });
  });

  test('a payment answer without its currency still ends in a receipt, in the item’s currency', async () => {
    stub.routes['POST /api/checkout/payments'] = {
      status: 201,
      body: { payment: { id: 'p', amount: 2500, card: { brand: 'VISA', last4: '1111' } } },
    };
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() =>
      expect(el.querySelector('.cc-done')?.textContent).toBe(
        'Payment successful. $25.00 paid with Visa ending 1111.',
      ),
    );
  });

  test.each([
    [201, { payment: { id: 'p', amount: 100 } }, 'paid'],
    // A 201 whose body cannot be read may still have moved money.
    [201, {}, 'payment_outcome_unknown'],
    [402, { error: { code: 'card_declined', reason: 'X', message: 'm' } }, 'card_declined'],
    // Voided or never processed by the reconciler: not charged, and not a decline either.
    [402, { error: { code: 'payment_canceled', message: 'm' } }, 'payment_canceled'],
    [402, {}, 'http_402'],
    [202, { error: { code: 'payment_under_review' } }, 'payment_under_review'],
    [202, {}, 'payment_outcome_unknown'],
    [500, {}, 'payment_outcome_unknown'],
    [504, { error: { code: 'gateway_timeout' } }, 'payment_outcome_unknown'],
    [503, { error: { code: 'checkout_disabled' } }, 'checkout_disabled'],
    [429, {}, 'rate_limited'],
    // The decline cap (card testing) is told apart from the request-rate limit.
    [429, { error: { code: 'too_many_declines' } }, 'too_many_declines'],
    [400, { error: { code: 'invalid_request' } }, 'invalid_request'],
    [409, {}, 'http_409'],
  ])('payment answer %i %j → %s', async (status, body, outcome) => {
    stub.routes['POST /api/checkout/payments'] = { status, body };
    const { el, events } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() =>
      expect(events.some((e) => /^checkout:(success|error)$/.test(e.type))).toBe(true),
    );
    const last = events.at(-1);
    expect(
      last?.type === 'checkout:success' ? 'paid' : (last?.detail as { code?: string })?.code,
    ).toBe(outcome);
  });

  test('409 payment_in_progress (an earlier payment unresolved) says so, with no resend and Pay off', async () => {
    stub.routes['POST /api/checkout/payments'] = {
      status: 409,
      body: {
        error: {
          code: 'payment_in_progress',
          message: 'We are still confirming your previous payment.',
        },
      },
    };
    const { el, events } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() =>
      expect(el.querySelector('.cc-notice')?.textContent).toBe(
        'We are still confirming your previous payment. Do not pay again.',
      ),
    );
    told(el, '.cc-notice', 'We are still confirming your previous payment. Do not pay again.');
    // The stub keeps this answer under the attempt's key: a resend could only repeat it.
    expect(el.querySelector('.cc-notice button')).toBeNull();
    expect(el.querySelector('.cc-notice')?.classList.contains('cc-error')).toBe(false);
    expect(payButton(el).disabled).toBe(true);
    expect(events.at(-1)?.detail).toMatchObject({ code: 'payment_in_progress' });
    expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1);
  });

  test('402 payment_canceled says the shopper was not charged, and Pay is back for a new attempt', async () => {
    stub.routes['POST /api/checkout/payments'] = (req, n) =>
      n === 1
        ? {
            status: 402,
            body: {
              error: {
                code: 'payment_canceled',
                reason: 'PROCESSOR_ERROR',
                message: 'We could not confirm this payment, so it was canceled.',
              },
            },
          }
        : { status: 201, body: paid(req) };
    const { el, events } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    const text = 'Your payment did not go through and you were not charged. Please try again.';
    await waitFor(() => expect(el.querySelector('.cc-notice')?.textContent).toBe(text));
    expect(el.textContent).not.toContain('declined');
    told(el, '.cc-notice', text);
    expect(events.at(-1)?.detail).toMatchObject({ code: 'payment_canceled' });
    expect(payButton(el).disabled).toBe(false);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    const [a, b] = stub.calls('POST', '/api/checkout/payments');
    expect(b?.headers['Idempotency-Key']).not.toBe(a?.headers['Idempotency-Key']);
  });

  test('202 payment_under_review says so, without a Check again loop, and Pay stays off', async () => {
    stub.routes['POST /api/checkout/payments'] = (_req, n) =>
      n === 1
        ? { status: 202, body: { error: { code: 'payment_outcome_unknown' } } }
        : {
            status: 202,
            body: {
              error: { code: 'payment_under_review', message: 'The payment is under review.' },
            },
          };
    const { el, events } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    // "Confirming", checked once more, turns out to be held for review.
    await waitFor(() => expect(el.querySelector('.cc-notice button')).not.toBeNull());
    fireEvent.click(el.querySelector('.cc-notice button') as HTMLElement);
    const text = 'Your payment is being reviewed. Do not pay again: we will contact you.';
    await waitFor(() => expect(el.querySelector('.cc-notice')?.textContent).toBe(text));
    told(el, '.cc-notice', text);
    expect(el.querySelector('.cc-notice button')).toBeNull();
    expect(el.querySelector('.cc-notice')?.classList.contains('cc-error')).toBe(false);
    expect(payButton(el).disabled).toBe(true);
    expect(events.at(-1)?.detail).toMatchObject({ code: 'payment_under_review' });
  });

  test('Check again answered 409 idempotency_key_in_flight stays "confirming", with Check again', async () => {
    stub.routes['POST /api/checkout/payments'] = (req, n) =>
      n === 1
        ? { status: 202, body: { error: { code: 'payment_outcome_unknown' } } }
        : n === 2
          ? { status: 409, body: { error: { code: 'idempotency_key_in_flight', message: 'x' } } }
          : { status: 201, body: { payment: { id: 'p', amount: 2500, currency: 'USD' } }, req };
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    const again = () => el.querySelector<HTMLButtonElement>('.cc-notice button');
    await waitFor(() => expect(again()?.textContent).toBe('Check again'));
    fireEvent.click(again() as HTMLElement);
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(2));
    await waitFor(() => expect(again()?.textContent).toBe('Check again'));
    expect(el.querySelector('.cc-notice')?.textContent).toContain(
      'We are confirming your payment. Do not pay again.',
    );
    expect(payButton(el).disabled).toBe(true);
    fireEvent.click(again() as HTMLElement);
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    const keys = stub
      .calls('POST', '/api/checkout/payments')
      .map((r) => r.headers['Idempotency-Key']);
    expect(new Set(keys).size).toBe(1);
  });

  test('400 amount_not_allowed reads as the amount bounds, and the form stays usable', async () => {
    stub.routes['POST /api/checkout/payments'] = {
      status: 400,
      body: {
        error: { code: 'amount_not_allowed', message: 'The amount is not allowed for this item.' },
      },
    };
    const { el, events } = mountWidget({ item: 'donation' });
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() =>
      expect(el.querySelector('.cc-notice')?.textContent).toBe('Enter $1.00 to $1,000.00.'),
    );
    told(el, '.cc-notice', 'Enter $1.00 to $1,000.00.');
    expect(events.at(-1)?.detail).toMatchObject({ code: 'amount_not_allowed' });
    expect(payButton(el).disabled).toBe(false);
  });

  test('409 already_subscribed says so instead of "something went wrong"', async () => {
    stub.routes['POST /api/checkout/payments'] = {
      status: 409,
      body: {
        error: { code: 'already_subscribed', message: 'You already have this subscription.' },
      },
    };
    const { el, events } = mountWidget({ item: 'plan-monthly' });
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() =>
      expect(el.querySelector('.cc-notice')?.textContent).toBe(
        'You already have this subscription.',
      ),
    );
    expect(events.at(-1)?.detail).toMatchObject({ code: 'already_subscribed' });
  });

  test('another stub error shows a generic message and reports the stub code', async () => {
    stub.routes['POST /api/checkout/payments'] = {
      status: 400,
      body: { error: { code: 'invalid_request', message: 'bad item' } },
    };
    const { el, events } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.textContent).toContain('Something went wrong. Try again.'));
    expect(events.at(-1)).toEqual({
      type: 'checkout:error',
      detail: { code: 'invalid_request', message: 'bad item' },
    });
  });
});

describe('what the session and the item ask for', () => {
  test('a plan keeps the card: save is forced on with the reason, and the price is per month', async () => {
    const { el } = mountWidget({ item: 'plan-monthly' });
    await ready(el);
    const save = el.querySelector<HTMLInputElement>('input[type=checkbox]');
    expect(save?.checked).toBe(true);
    expect(save?.disabled).toBe(true);
    expect(document.getElementById(save?.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Subscriptions keep this card to pay renewals.',
    );
    expect(payButton(el).textContent).toBe('Pay $12.00 / month');
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
    expect(stub.calls('POST', '/api/checkout/payments')[0]?.body).toMatchObject({
      savePaymentMethod: true,
      item: { id: 'plan-monthly' },
    });
  });

  /** The stub's sessions ask for the billing address (CHECKOUT_REQUIRE_BILLING_ADDRESS). */
  const askForBillingAddress = () => {
    const make = stub.routes['POST /api/checkout/sessions'];
    stub.routes['POST /api/checkout/sessions'] = async (req, n) => {
      const r = typeof make === 'function' ? await make(req, n) : { status: 500 };
      return { ...r, body: { ...(r.body as object), requireBillingAddress: true } };
    };
  };

  test('billing address when the session requires it, sent as billTo', async () => {
    askForBillingAddress();
    const { el } = mountWidget();
    await ready(el);
    expect(el.querySelector('legend')?.textContent).toBe('Billing address');
    fillValid(el, world);
    fireEvent.click(payButton(el));
    // Street, city, country; the postal code and the state wait for a US or Canadian country.
    expect(el.querySelectorAll('.cc-error')).toHaveLength(3);
    expect(document.activeElement).toBe(input(el, 'address1'));
    fill(el, { address1: '1 Main St', locality: 'Springfield', country: 'us' });
    // A US (or Canadian) address needs its postal code and state: CyberSource refuses it without.
    fireEvent.click(payButton(el));
    expect(el.querySelectorAll('.cc-error')).toHaveLength(2);
    expect(document.activeElement).toBe(input(el, 'postalCode'));
    expect(input(el, 'postalCode').required).toBe(true);
    fill(el, { postalCode: '12345' });
    fireEvent.click(payButton(el));
    expect(el.querySelectorAll('.cc-error')).toHaveLength(1);
    expect(document.activeElement).toBe(input(el, 'region'));
    expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(0);
    // Its code, not its name (the stub would refuse "Illinois"); a trailing space, as mobile
    // keyboards leave, still reads as the US.
    fill(el, { region: 'Illinois', country: 'US ' });
    fireEvent.click(payButton(el));
    expect(el.querySelectorAll('.cc-error')).toHaveLength(1);
    expect(input(el, 'region').getAttribute('aria-invalid')).toBe('true');
    expect(input(el, 'region').required).toBe(true);
    // Said as what it is: the name was typed, not left out.
    expect(liveRegion(el)).toBe(
      'Please fix: State or province (NY, ON…): Use the two-letter code.',
    );
    fill(el, { country: 'U' });
    fireEvent.click(payButton(el));
    expect(document.activeElement).toBe(input(el, 'country'));
    expect(el.querySelector(`#${input(el, 'country').id}-e`)?.textContent).toBe(
      'Use the two-letter code.',
    );
    // Both codes typed in lower case are sent as CyberSource writes them: "US", "IL".
    fill(el, { country: 'us', region: 'il' });
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
    expect(stub.calls('POST', '/api/checkout/payments')[0]?.body).toMatchObject({
      billTo: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        address1: '1 Main St',
        locality: 'Springfield',
        postalCode: '12345',
        country: 'US',
        administrativeArea: 'IL',
      },
    });
  });

  test('a field the stub or CyberSource refuses is shown on that field, not as "went wrong"', async () => {
    askForBillingAddress();
    // A state code that is two letters but not a US state: the stub's check, not ours.
    stub.routes['POST /api/checkout/payments'] = (_req, n) =>
      n === 1
        ? {
            status: 400,
            body: {
              error: {
                code: 'invalid_request',
                message: 'The request is invalid.',
                details: [
                  {
                    field: 'billTo.administrativeArea',
                    code: 'custom',
                    message: 'expected a US state, province or territory code',
                  },
                ],
              },
            },
          }
        : gatewayRefusal('INVALID_DATA', [
            'orderInformation.billTo.lastName',
            'orderInformation.billTo.postalCode',
          ]);
    const { el, callbacks, events } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fill(el, {
      address1: '1 Main St',
      locality: 'Springfield',
      postalCode: '12345',
      region: 'XX',
      country: 'US',
    });
    fireEvent.click(payButton(el));
    await waitFor(() => expect(input(el, 'region').getAttribute('aria-invalid')).toBe('true'));
    // The merchant hears the form is not complete until the refused field is changed.
    const complete = () => events.filter((e) => e.type === 'checkout:change').at(-1)?.detail;
    expect(complete()).toMatchObject({ complete: false });
    expect(el.querySelector(`#${input(el, 'region').id}-e`)?.textContent).toBe('Check this entry.');
    expect(document.activeElement).toBe(input(el, 'region'));
    expect(liveRegion(el)).toBe('Please fix: State or province (NY, ON…): Check this entry.');
    expect(el.querySelector('.cc-notice')?.textContent ?? '').not.toContain('went wrong');
    expect(payButton(el).disabled).toBe(false);
    // CyberSource's own paths name ours too, in the form's order: the name first.
    fill(el, { region: 'IL' });
    expect(complete()).toMatchObject({ complete: true });
    fireEvent.click(payButton(el));
    await waitFor(() => expect(input(el, 'name').getAttribute('aria-invalid')).toBe('true'));
    expect(input(el, 'postalCode').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(input(el, 'name'));
    expect(callbacks.filter((c) => c.name === 'error')).toHaveLength(0);
  });

  test('a refusal naming fields the form does not have is "went wrong" and the merchant hears it, the name never marked', async () => {
    // An account that needs the billing address, with the stub not asking for it: CyberSource
    // names the name and the address; only the name is on the form.
    stub.routes['POST /api/checkout/payments'] = gatewayRefusal(
      'MISSING_FIELD',
      ['firstName', 'lastName', 'address1', 'locality', 'country'].map(
        (f) => `orderInformation.billTo.${f}`,
      ),
    );
    const { el, callbacks } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() =>
      expect(el.querySelector('.cc-notice')?.textContent).toContain('Something went wrong'),
    );
    expect(input(el, 'name').getAttribute('aria-invalid')).toBeNull();
    expect(callbacks.filter((c) => c.name === 'error').at(-1)?.detail).toMatchObject({
      code: 'gateway_invalid_request',
    });
  });

  test('a US or Canadian postal code is checked as CyberSource documents it, before any payment', async () => {
    askForBillingAddress();
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fill(el, { address1: '1 Main St', locality: 'Ottawa', region: 'ON', country: 'CA' });
    // A ZIP code is a US code: with Canada it is refused here, not by the stub's 400, which the
    // widget could only call "Something went wrong".
    for (const [postalCode, country] of [
      ['1234', 'CA'],
      ['K1A-0B1', 'CA'],
      ['941051234', 'CA'],
      ['94105', 'CA'],
      ['K1A 0B1', 'US'],
    ] as const) {
      fill(el, { postalCode, country });
      fireEvent.click(payButton(el));
      expect(document.activeElement, postalCode).toBe(input(el, 'postalCode'));
      // (A repeat is said again with a trailing no-break space.)
      expect(liveRegion(el).trim()).toBe(
        'Please fix: Postal code: Use a code like 94105 (US) or K1A\u00a00B1 (Canada).',
      );
    }
    fill(el, { country: 'CA' });
    expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(0);
    // As Canadians type it: the stub writes it "K1A 0B1".
    fill(el, { postalCode: 'k1a0b1' });
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
  });

  test('the name and address fields stop at CyberSource’s lengths, so Pay is never refused for one', async () => {
    askForBillingAddress();
    const { el } = mountWidget();
    await ready(el);
    // cybersource/tms/common.ts BillTo: 60 each for first and last name and the street, 50 for
    // the city, 10 for the postal code; the stub's 255 for the email.
    const limits = { name: 60, email: 255, address1: 60, locality: 50, postalCode: 10 };
    for (const [name, max] of Object.entries(limits))
      expect(input(el, name).maxLength, name).toBe(max);
  });

  test('a billing address outside the US and Canada needs no state, province or postal code', async () => {
    askForBillingAddress();
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    // Hong Kong has no postal codes; a region there is free text, up to CyberSource's 20.
    fill(el, { address1: '1 Queen’s Road Central', locality: 'Hong Kong', country: 'HK' });
    expect(input(el, 'postalCode').required).toBe(false);
    expect(input(el, 'region').maxLength).toBe(20);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
    const body = stub.calls('POST', '/api/checkout/payments')[0]?.body as { billTo: object };
    expect(body.billTo).toMatchObject({ country: 'HK', locality: 'Hong Kong' });
    expect(body.billTo).not.toHaveProperty('administrativeArea');
    expect(body.billTo).not.toHaveProperty('postalCode');
  });

  test('a custom amount is typed, checked against the bounds and sent in minor units', async () => {
    const { el } = mountWidget({ item: 'donation' });
    await ready(el);
    // The catalog's amount is where the shopper starts.
    expect(input(el, 'amount').value).toBe('10.00');
    expect(payButton(el).textContent).toBe('Pay $10.00');
    fillValid(el, world);
    // Below the minimum, and above the maximum by a cent: neither is tokenized nor posted.
    for (const amount of ['0.50', '1,000.01']) {
      fill(el, { amount });
      expect(input(el, 'amount').getAttribute('aria-invalid')).not.toBe('true');
      fireEvent.click(payButton(el));
      expect(input(el, 'amount').getAttribute('aria-invalid'), amount).toBe('true');
      expect(el.textContent).toContain('Enter $1.00 to $1,000.00.');
      expect(document.activeElement).toBe(input(el, 'amount'));
      // Never offered on the button: it cannot be paid. The item line shows what was typed.
      expect(payButton(el).textContent, amount).toBe('Pay');
      expect(el.querySelector('.cc-item b')?.textContent, amount).toMatch(/^\$\d/);
    }
    expect(world.tokenCalls).toHaveLength(0);
    expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(0);
    // English "12.345" is neither 12.35 nor 12345: refused, never misread.
    fill(el, { amount: '12.345' });
    expect(payButton(el).textContent).toBe('Pay');
    // Unreadable, not out of bounds: the message says how to write one.
    fireEvent.click(payButton(el));
    expect(el.textContent).toContain('Enter an amount like 12.50.');
    expect(el.textContent).not.toContain('Enter $1.00 to $1,000.00.');
    // "12,5" can only be 12.50 (no grouping leaves two digits): a French keyboard's way.
    fill(el, { amount: '12,5' });
    expect(payButton(el).textContent).toBe('Pay $12.50');
    fill(el, { amount: '12.50' });
    expect(payButton(el).textContent).toBe('Pay $12.50');
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
    expect(stub.calls('POST', '/api/checkout/payments')[0]?.body).toMatchObject({
      item: { id: 'donation', amount: 1250 },
    });
  });

  test('the format hint writes its example as the locale writes amounts (es-MX "12.50", es-ES "12,50")', async () => {
    for (const [tag, prefilled, example] of [
      ['es-MX', '10.00', '12.50'],
      ['es-ES', '10,00', '12,50'],
    ] as const) {
      const { el, handle } = mountWidget({ item: 'donation', locale: tag });
      await ready(el);
      expect(input(el, 'amount').value).toBe(prefilled);
      fill(el, { amount: '1.000.5' });
      fireEvent.click(payButton(el));
      await waitFor(() =>
        expect(el.textContent).toContain(`Introduce un importe como ${example}.`),
      );
      handle.unmount();
    }
  });

  test('the amount field reads and writes amounts the way the locale does (de: "1.000,50")', async () => {
    const { el } = mountWidget({ item: 'donation', locale: 'de' });
    await ready(el);
    // As rendered: HTML collapses the double space "Jetzt {amount} bezahlen" leaves with no amount.
    const pay = () => payButton(el).textContent?.replace(/[\s\u00a0]+/g, ' ');
    // Prefilled as German writes it, which the field then reads back.
    expect(input(el, 'amount').value).toBe('10,00');
    expect(pay()).toBe('Jetzt 10,00 $ bezahlen');
    // Its own hint writes the bounds "1,00 $ bis 1.000,00 $": the shopper may type them so.
    fill(el, { amount: '1.000' });
    expect(pay()).toBe('Jetzt 1.000,00 $ bezahlen');
    fill(el, { amount: '1.000.5' });
    expect(pay()).toBe('Jetzt bezahlen');
    fireEvent.click(payButton(el));
    expect(el.textContent).toContain('Betrag wie 12,50 eingeben.');
    fill(el, { amount: '12.5' });
    expect(pay()).toBe('Jetzt 12,50 $ bezahlen');
    fill(el, { amount: '999,5' });
    expect(pay()).toBe('Jetzt 999,50 $ bezahlen');
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
    expect(stub.calls('POST', '/api/checkout/payments')[0]?.body).toMatchObject({
      item: { id: 'donation', amount: 99950 },
    });
  });

  test('the amount option fixes a custom amount (no input)', async () => {
    const { el } = mountWidget({ item: 'donation', amount: 5000 });
    await ready(el);
    expect(el.querySelector('input[name=amount]')).toBeNull();
    expect(payButton(el).textContent).toBe('Pay $50.00');
  });
});

describe('loading Microform safely', () => {
  test('a clientLibrary outside CyberSource is refused, loudly, and nothing is injected', async () => {
    Reflect.deleteProperty(window, 'Flex');
    const { captureContext } = await import('./harness.ts');
    stub.routes['POST /api/checkout/sessions'] = {
      status: 201,
      body: {
        sessionId: 's',
        captureContext: captureContext('https://evil.example/flex.js'),
        expiresAt: Date.now() + 900_000,
        environment: 'sandbox',
      },
    };
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { el, events } = mountWidget();
    await waitFor(() => expect(el.textContent).toContain('The card form could not load.'));
    expect(errors.mock.calls[0]?.[0]).toContain('https://evil.example/flex.js');
    expect(document.querySelectorAll('script')).toHaveLength(0);
    expect(events.at(-1)?.detail).toMatchObject({ code: 'library_refused' });
  });

  test('a library off CyberSource loads only from the origin the stub declares; the badge follows the environment', async () => {
    const { captureContext } = await import('./harness.ts');
    const emu = 'http://localhost:4010/microform/bundle/v2.0.2/flex-microform.min.js';
    const session = (environment: string, libraryOrigin?: string) => ({
      status: 201,
      body: {
        sessionId: 's',
        captureContext: captureContext(emu),
        expiresAt: Date.now() + 900_000,
        environment,
        ...(libraryOrigin && { libraryOrigin }),
      },
    });
    stub.routes['POST /api/checkout/sessions'] = session('emulator', 'http://localhost:4010');
    const ok = mountWidget();
    await ready(ok.el);
    expect(ok.el.querySelector('.cc-badge')).not.toBeNull();
    ok.handle.unmount();
    // A white-label gateway's live library: loads, and no "Test mode".
    stub.routes['POST /api/checkout/sessions'] = session('production', 'http://localhost:4010');
    const live = mountWidget();
    await ready(live.el);
    expect(live.el.querySelector('.cc-badge')).toBeNull();
    live.handle.unmount();
    stub.routes['POST /api/checkout/sessions'] = session('emulator', 'http://localhost:4011');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const refused = mountWidget();
    await waitFor(() => expect(refused.el.textContent).toContain('The card form could not load.'));
  });

  test("a load failure is said without taking focus from another of the page's fields", async () => {
    stub.routes['POST /api/checkout/sessions'] = {
      status: 503,
      body: { error: { code: 'checkout_disabled', message: 'off' } },
    };
    const search = document.createElement('input');
    document.body.append(search);
    search.focus();
    const { el } = mountWidget();
    await waitFor(() => expect(el.textContent).toContain('Checkout is closed for now.'));
    expect(el.querySelector('[role=status]')?.textContent).toContain('Checkout is closed for now.');
    expect(document.activeElement).toBe(search);
    search.remove();
  });

  test('a session failure shows an error with Try again, which starts over with focus on the item', async () => {
    stub.routes['POST /api/checkout/sessions'] = {
      status: 503,
      body: { error: { code: 'checkout_disabled', message: 'off' } },
    };
    const { el, events } = mountWidget();
    await waitFor(() => expect(el.textContent).toContain('Checkout is closed for now.'));
    expect(events.at(-1)?.detail).toMatchObject({ code: 'checkout_disabled' });
    expect(el.querySelector('form')?.hidden).toBe(true);
    stub.routes['POST /api/checkout/sessions'] = new (await import('./harness.ts')).FakeStub()
      .routes['POST /api/checkout/sessions'] as never;
    const again = el.querySelector('.cc-notice button') as HTMLButtonElement;
    again.focus();
    fireEvent.click(again);
    await ready(el);
    // The button it was on is gone: focus is on what the new form sells, not lost to the page.
    expect(document.activeElement).toBe(el.querySelector('.cc-item'));
  });

  test('both fields reporting an expired context renew it once, and the checkout is ready again', async () => {
    const { el, events } = mountWidget();
    await ready(el);
    const expired = { name: 'MicroformError', reason: 'CAPTURE_CONTEXT_EXPIRED' };
    world.field('number').emit('error', expired);
    world.field('securityCode').emit('error', expired);
    await waitFor(() => expect(world.contexts).toHaveLength(2));
    await ready(el);
    expect(events.some((e) => e.type === 'checkout:error')).toBe(false);
    expect(el.textContent).not.toContain('The card form could not load.');
  });

  test('fields refusing their context as expired again after one renewal are reported, not renewed for good', async () => {
    const { el, events } = mountWidget();
    await ready(el);
    const expired = { name: 'MicroformError', reason: 'CAPTURE_CONTEXT_EXPIRED' };
    world.loadError = expired;
    world.field('number').emit('error', expired);
    // Its other field says the same: one answer per form, so still one renewal.
    world.field('securityCode').emit('error', expired);
    await waitFor(() => expect(el.textContent).toContain('The card form could not load.'));
    expect(events.at(-1)?.detail).toMatchObject({
      code: 'microform_error',
      reason: 'CAPTURE_CONTEXT_EXPIRED',
    });
    await new Promise((r) => setTimeout(r, 50));
    // One renewal: the first context and one more, no loop.
    expect(world.contexts).toHaveLength(2);
  });

  test('a Microform field error (not expiry) is an error state', async () => {
    const { el, events } = mountWidget();
    await ready(el);
    world
      .field('number')
      .emit('error', { name: 'MicroformError', reason: 'IFRAME_JWT_VALIDATION_FAILED' });
    expect(el.textContent).toContain('The card form could not load.');
    expect(events.at(-1)?.detail).toMatchObject({
      code: 'microform_error',
      reason: 'IFRAME_JWT_VALIDATION_FAILED',
    });
  });
});

test('the library URL in the capture context is the one loaded', () => {
  expect(LIBRARY).toMatch(/^https:\/\/testflex\.cybersource\.com\//);
});
