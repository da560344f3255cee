/**
 * Test harness for the widget: a fake server stub on `fetch` (recording every request), capture
 * contexts shaped like CyberSource's (API-FACTS §5.2), and helpers to mount and fill the form.
 */
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, vi } from 'vitest';
import type { CheckoutHandle } from '../../widget/mount.tsx';
import { mount } from '../../widget/mount.tsx';
import type { CheckoutOptions } from '../../widget/options.ts';
import { FlexWorld } from './fake-flex.ts';

export const ENDPOINT = 'https://shop.example';
export const LIBRARY =
  'https://testflex.cybersource.com/microform/bundle/v2.0.2/flex-microform.min.js';

const b64url = (v: unknown) =>
  btoa(JSON.stringify(v)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * A capture-context JWT (unsigned: the widget only reads the payload; the stub verifies it),
 * living `life` seconds (`exp - iat`; 900 like CyberSource's, API-FACTS §5.2). `iat` is the
 * issuer's clock, unrelated to the browser's.
 */
export function captureContext(clientLibrary = LIBRARY, n = 1, life = 900): string {
  const payload = {
    flx: { path: '/flex/v2/tokens', origin: 'https://testflex.cybersource.com' },
    ctx: [{ type: 'mf-2.0.0', data: { clientLibrary, clientLibraryIntegrity: 'sha256-abc=', n } }],
    iat: 1,
    exp: 1 + life,
  };
  return `${b64url({ kid: 'zu', alg: 'RS256' })}.${b64url(payload)}.sig`;
}

export const CATALOG = {
  currency: 'USD',
  products: [
    { id: 'tee', name: 'T-shirt', amount: 2500 },
    { id: 'donation', name: 'Donation', amount: 1000, customAmount: { min: 100, max: 100000 } },
  ],
  plans: [{ id: 'plan-monthly', name: 'Pro plan', amount: 1200, interval: 'month' }],
};

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** CyberSource's refusal naming request fields, as the stub passes it on. */
export const gatewayRefusal = (reason: string, fields: string[]): Reply => ({
  status: 400,
  body: {
    error: {
      code: 'gateway_invalid_request',
      reason,
      message: 'CyberSource rejected the request.',
      details: fields.map((field) => ({ field, reason })),
    },
  },
});

export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

type Route = Reply | ((req: Recorded, n: number) => Reply | Promise<Reply>);

export class FakeStub {
  requests: Recorded[] = [];
  sessions = 0;
  routes: Record<string, Route> = {
    'GET /api/catalog': { status: 200, body: CATALOG },
    'GET /api/payment-methods': { status: 200, body: { paymentMethods: [] } },
    'POST /api/checkout/sessions': () => {
      this.sessions++;
      return {
        status: 201,
        body: {
          sessionId: `sess-${this.sessions}`,
          captureContext: captureContext(LIBRARY, this.sessions),
          expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
          environment: 'sandbox',
        },
      };
    },
    'POST /api/checkout/payments': (req) => ({ status: 201, body: paid(req) }),
  };

  install(): this {
    vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
      const u = new URL(url);
      const method = init.method ?? 'GET';
      const rec: Recorded = {
        method,
        path: u.pathname,
        headers: { ...(init.headers as Record<string, string>) },
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
        credentials: init.credentials,
      };
      this.requests.push(rec);
      const key = `${method} ${u.pathname}`;
      const route =
        this.routes[key] ??
        Object.entries(this.routes).find(
          ([k]) => key.startsWith(k.replace(/\*$/, '')) && k.endsWith('*'),
        )?.[1];
      if (!route)
        return new Response(JSON.stringify({ error: { code: 'not_found' } }), { status: 404 });
      const n = this.requests.filter((r) => `${r.method} ${r.path}` === key).length;
      const reply = typeof route === 'function' ? await route(rec, n) : route;
      return new Response(reply.body === undefined ? '' : JSON.stringify(reply.body), {
        status: reply.status,
        headers: reply.headers ?? {},
      });
    });
    return this;
  }

  calls(method: string, path: string): Recorded[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }
}

/** Holds the stub's `nth` session answer until the function returned is called. */
export function holdSession(stub: FakeStub, nth = 1): () => void {
  let release = () => {};
  const issue = stub.routes['POST /api/checkout/sessions'] as () => Reply;
  stub.routes['POST /api/checkout/sessions'] = async (_, n) => {
    if (n === nth) await new Promise<void>((r) => (release = r));
    return issue();
  };
  return () => release();
}

export function paid(req: Recorded, status = 'AUTHORIZED') {
  const body = req.body as { item?: { id?: string; amount?: number } };
  const amount = body.item?.id === 'plan-monthly' ? 1200 : (body.item?.amount ?? 2500);
  return {
    payment: {
      id: 'pay-1',
      status,
      amount,
      currency: 'USD',
      card: { brand: 'VISA', last4: '1111' },
    },
    ...(body.item?.id === 'plan-monthly'
      ? { subscription: { id: 'sub-1', status: 'active' } }
      : {}),
  };
}

export interface Mounted {
  el: HTMLElement;
  handle: CheckoutHandle;
  events: { type: string; detail: unknown }[];
  callbacks: { name: string; detail: unknown }[];
}

/** Mounts into a fresh container and records CustomEvents and callbacks. */
export function mountWidget(options: Partial<CheckoutOptions> = {}): Mounted {
  const el = document.createElement('div');
  document.body.append(el);
  const events: Mounted['events'] = [];
  const callbacks: Mounted['callbacks'] = [];
  for (const type of ['checkout:ready', 'checkout:change', 'checkout:success', 'checkout:error'])
    el.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
  const cb = (name: string) => (detail: unknown) => callbacks.push({ name, detail });
  const handle = mount(el, {
    endpoint: ENDPOINT,
    item: 'tee',
    onReady: cb('ready'),
    onChange: cb('change'),
    onSuccess: cb('success'),
    onError: cb('error'),
    ...options,
  });
  return { el, handle, events, callbacks };
}

export const payButton = (root: HTMLElement = document.body) => {
  const b = root.querySelector<HTMLButtonElement>('button.cc-pay');
  if (!b) throw new Error('no pay button');
  return b;
};

/** Waits for the form to be ready (fields loaded, pay button enabled). */
export async function ready(root: HTMLElement = document.body): Promise<void> {
  await waitFor(() => {
    if (payButton(root).disabled) throw new Error('not ready');
  });
}

export function input(root: HTMLElement, name: string): HTMLInputElement {
  const el = root.querySelector<HTMLInputElement>(`input[name=${name}]`);
  if (!el) throw new Error(`no input ${name}`);
  return el;
}

/** Fills our own inputs the way a shopper types (input events reach the form's handler). */
export function fill(root: HTMLElement, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values))
    fireEvent.input(input(root, name), { target: { value } });
}

export function fillValid(root: HTMLElement, world: FlexWorld): void {
  world.typeCard();
  fill(root, { expiry: '12/39', name: 'Ada Lovelace', email: 'ada@example.com' });
}

export function setup(): { stub: FakeStub; world: FlexWorld } {
  document.body.replaceChildren();
  document.head.replaceChildren();
  document.documentElement.lang = 'en';
  return { stub: new FakeStub().install(), world: new FlexWorld().install() };
}

/**
 * Registers each test's fresh page and fakes (`setup`), and the clean-up after it; `take`
 * receives the test's stub and Microform world.
 */
export function eachTest(take: (t: { stub: FakeStub; world: FlexWorld }) => void): void {
  beforeEach(() => take(setup()));
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
}

export { fireEvent, screen, waitFor };
