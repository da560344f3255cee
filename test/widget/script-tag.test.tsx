// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { autoMount, optionsFromScript } from '../../widget/embed/script-tag.ts';
import { ENDPOINT, payButton, ready, setup, waitFor } from './harness.ts';

beforeEach(() => {
  setup();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function tag(attrs: Record<string, string>): HTMLScriptElement {
  const s = document.createElement('script');
  // type=text/plain: the test only needs the tag and its attributes, not a fetch of its src.
  s.type = 'text/plain';
  for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v);
  document.body.append(s);
  return s;
}

test('the bundle entry defines window.CyberCheckout and mounts right after its own tag', async () => {
  const s = tag({
    src: 'https://cdn.example/checkout.js',
    'data-endpoint': ENDPOINT,
    'data-item': 'plan-monthly',
  });
  Object.defineProperty(document, 'currentScript', { value: s, configurable: true });
  await import('../../widget/embed/iife.ts');
  expect(typeof window.CyberCheckout?.mount).toBe('function');
  expect(window.CyberCheckout?.version).toMatch(/^\d+\.\d+\.\d+$/);
  const container = s.nextElementSibling as HTMLElement;
  await waitFor(() => expect(container.querySelector('.cc')).not.toBeNull());
  await ready(container);
  expect(payButton(container).textContent).toBe('Pay $12.00 / month');
  Reflect.deleteProperty(document, 'currentScript');
});

test('data-container picks the element; allowed data-* become options', async () => {
  const target = document.createElement('section');
  target.id = 'pay-here';
  document.body.append(target);
  const s = tag({
    'data-endpoint': ENDPOINT,
    'data-item': 'donation',
    'data-amount': '1500',
    'data-container': '#pay-here',
    'data-locale': 'fr-CA',
    'data-theme': 'dark',
    'data-save-card': '',
  });
  const handle = await autoMount(s);
  expect(handle).toBeDefined();
  await ready(target);
  expect(payButton(target).textContent?.replace(/\u00a0/g, ' ')).toBe('Payer 15,00 $ US');
  expect(target.querySelector('.cc')?.getAttribute('data-theme')).toBe('dark');
  expect(target.querySelector<HTMLInputElement>('input[type=checkbox]')?.checked).toBe(true);
  expect(s.nextElementSibling?.classList.contains('cc')).toBeFalsy();
});

test('only the allow-list is read: other attributes never reach the widget', () => {
  const s = tag({
    'data-endpoint': ENDPOINT,
    'data-item': 'tee',
    'data-on-success': 'alert(1)',
    'data-onsuccess': 'alert(1)',
    'data-endpoint-override': 'https://evil.example',
    'data-save-card': 'false',
  });
  expect(optionsFromScript(s)).toEqual({ endpoint: ENDPOINT, item: 'tee', saveCard: false });
});

test.each([
  [{ 'data-item': 'tee' }, 'CyberCheckout: data-endpoint is required'],
  [
    { 'data-endpoint': ENDPOINT, 'data-item': 'tee', 'data-amount': '12.50' },
    'CyberCheckout: data-amount must be a positive whole number of minor units',
  ],
  [
    { 'data-endpoint': ENDPOINT, 'data-item': 'tee', 'data-save-card': 'yes' },
    'CyberCheckout: data-save-card must be true or false',
  ],
  [
    { 'data-endpoint': ENDPOINT, 'data-item': 'tee', 'data-container': '#missing' },
    'CyberCheckout: data-container "#missing" matches no element',
  ],
  [
    { 'data-endpoint': ENDPOINT, 'data-item': 'tee', 'data-container': '##bad' },
    'CyberCheckout: data-container "##bad" matches no element',
  ],
])('%o is named in the console and shown on the page', async (attrs, message) => {
  const log = vi.spyOn(console, 'error').mockImplementation(() => {});
  const s = tag(attrs);
  await autoMount(s);
  expect(log).toHaveBeenCalledWith(message);
  expect(
    s.nextElementSibling?.querySelector('[role=alert]')?.textContent ??
      s.nextElementSibling?.textContent,
  ).toBe(`Checkout unavailable: ${message.slice(15)}.`);
});

test('data-amount on a fixed-price item is reported as data-amount', async () => {
  const log = vi.spyOn(console, 'error').mockImplementation(() => {});
  const s = tag({ 'data-endpoint': ENDPOINT, 'data-item': 'tee', 'data-amount': '5000' });
  await autoMount(s);
  await waitFor(() =>
    expect(log).toHaveBeenCalledWith('CyberCheckout: data-amount is only for custom-amount items'),
  );
});

test('an item unknown to the catalog is reported as data-item', async () => {
  const log = vi.spyOn(console, 'error').mockImplementation(() => {});
  const s = tag({ 'data-endpoint': ENDPOINT, 'data-item': 'ghost' });
  await autoMount(s);
  await waitFor(() =>
    expect(log).toHaveBeenCalledWith('CyberCheckout: data-item "ghost" is not in the catalog'),
  );
});

test('a tag without data-endpoint and data-item only loads the API', async () => {
  const s = tag({ src: 'x' });
  expect(await autoMount(s)).toBeUndefined();
  expect(s.nextElementSibling).toBeNull();
});

test('the tag’s nonce is used for the injected style', async () => {
  const s = tag({ 'data-endpoint': ENDPOINT, 'data-item': 'tee' });
  s.nonce = 'abc123';
  expect(optionsFromScript(s).nonce).toBe('abc123');
});

test('a tag in <head> without data-container mounts nothing unseen: it says data-container is required, at the end of the page', async () => {
  const log = vi.spyOn(console, 'error').mockImplementation(() => {});
  const s = tag({ 'data-endpoint': ENDPOINT, 'data-item': 'tee' });
  document.head.append(s);
  expect(await autoMount(s)).toBeUndefined();
  const message = 'CyberCheckout: data-container is required for a tag in <head>';
  expect(log).toHaveBeenCalledWith(message);
  expect(document.head.querySelector('div')).toBeNull();
  expect(document.body.lastElementChild?.textContent).toBe(
    `Checkout unavailable: ${message.slice(15)}.`,
  );
  log.mockRestore();
});
