// @vitest-environment happy-dom
import axe from 'axe-core';
import { expect, test } from 'vitest';
import type { FlexWorld } from './fake-flex.ts';
import {
  captureContext,
  eachTest,
  type FakeStub,
  fillValid,
  fireEvent,
  LIBRARY,
  mountWidget,
  payButton,
  ready,
  waitFor,
} from './harness.ts';

let stub: FakeStub;
let world: FlexWorld;

eachTest((t) => ({ stub, world } = t));

/** axe-core on the widget; colour contrast needs real layout, so Chromium checks it on the demo. */
async function violations(el: HTMLElement): Promise<string[]> {
  const r = await axe.run(el, { rules: { 'color-contrast': { enabled: false } } });
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

test('ready form, with errors shown: no axe violations', async () => {
  const { el } = mountWidget();
  await ready(el);
  expect(await violations(el)).toEqual([]);
  fireEvent.click(payButton(el));
  expect(await violations(el)).toEqual([]);
});

test('saved cards, billing address and a plan: no axe violations', async () => {
  stub.routes['GET /api/payment-methods'] = {
    status: 200,
    body: {
      paymentMethods: [
        {
          id: 'pi',
          brand: 'VISA',
          last4: '4242',
          expirationMonth: '01',
          expirationYear: '2031',
          isDefault: true,
        },
      ],
    },
  };
  stub.routes['POST /api/checkout/sessions'] = {
    status: 201,
    body: {
      sessionId: 's',
      captureContext: captureContext(LIBRARY),
      expiresAt: Date.now() + 900_000,
      environment: 'sandbox',
      requireBillingAddress: true,
    },
  };
  const { el } = mountWidget({ item: 'plan-monthly' });
  await ready(el);
  fireEvent.click(el.querySelector('[data-cc-remove=pi]') as HTMLElement);
  expect(await violations(el)).toEqual([]);
});

test('decline and success: no axe violations', async () => {
  stub.routes['POST /api/checkout/payments'] = (req, n) =>
    n === 1
      ? { status: 402, body: { error: { code: 'card_declined', reason: 'EXPIRED_CARD' } } }
      : {
          status: 201,
          body: {
            payment: {
              id: 'p',
              status: 'AUTHORIZED',
              amount: 2500,
              currency: 'USD',
              card: { brand: 'VISA', last4: '1111' },
            },
          },
          req,
        };
  const { el } = mountWidget();
  await ready(el);
  fillValid(el, world);
  fireEvent.click(payButton(el));
  await waitFor(() => expect(el.querySelector('.cc-notice')).not.toBeNull());
  expect(await violations(el)).toEqual([]);
  fireEvent.click(payButton(el));
  await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
  expect(await violations(el)).toEqual([]);
});

test('keyboard: every control is a native focusable element, none removed from the tab order', async () => {
  stub.routes['GET /api/payment-methods'] = {
    status: 200,
    body: { paymentMethods: [{ id: 'pi', brand: 'VISA', last4: '4242' }] },
  };
  const { el } = mountWidget();
  await ready(el);
  for (const c of el.querySelectorAll('input, button'))
    expect(c.getAttribute('tabindex')).toBeNull();
  // Only the notice and the receipt take programmatic focus (tabindex -1) to announce a result,
  // and the item line after a broken form's Try again; none is in the tab order.
  for (const c of el.querySelectorAll('[tabindex]')) {
    expect(c.matches('.cc-notice, .cc-done, .cc-item')).toBe(true);
    expect(c.getAttribute('tabindex')).toBe('-1');
  }
  // Every visible text input and radio has a label.
  for (const i of el.querySelectorAll('input'))
    expect(i.labels?.length ?? 0, i.outerHTML).toBeGreaterThan(0);
  // The Microform containers are labelled through the field's own aria-label.
  expect(world.fields.every((f) => typeof f.options['aria-label'] === 'string')).toBe(true);
});
