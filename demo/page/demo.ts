/**
 * The demo merchant page: pick an item, pay with the widget, watch the merchant panel.
 * Everything here is what a merchant would write around the widget; nothing touches card data.
 */
import { z } from 'zod';
// The widget's own reading of a typed amount: the locale's separators, nothing ambiguous.
import { parseAmount } from '../../widget/checkout/validate.ts';
import {
  AdminPayments,
  AdminSubscriptions,
  type Catalog,
  Catalog as CatalogSchema,
  call,
  formatMoney,
  type Item,
  PaymentMethods,
  ShopperSubscriptions,
} from './api.ts';

interface Handle {
  update(options: Record<string, unknown>): void;
  unmount(): void;
}
interface CyberCheckoutGlobal {
  mount(element: Element, options: Record<string, unknown>): Handle;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text = '') => {
  const node = document.createElement(tag);
  node.textContent = text;
  return node;
};

const PaidDetail = z.object({ payment: z.object({ id: z.string() }) });
const SavedCards = z.object({
  savedCards: z.array(z.object({ id: z.string(), isDefault: z.boolean() })),
});

/** The CSP nonce this page was served with; the widget puts it on the style it injects. */
const nonce =
  document.currentScript instanceof HTMLScriptElement ? document.currentScript.nonce : '';

let catalog: Catalog;
let handle: Handle | undefined;
let selected: Item | undefined;
/** The widget's saved-card list as last seen, to refresh ours only when it changed. */
let lastSavedCards = '';

function widget(): CyberCheckoutGlobal {
  const g = (window as unknown as { CyberCheckout?: CyberCheckoutGlobal }).CyberCheckout;
  if (!g) throw new Error('checkout.js did not load');
  return g;
}

const locale = () => $<HTMLSelectElement>('locale').value;

/**
 * The donation the shopper typed, checked against the item's bounds before the widget is told:
 * an amount the page cannot read is said next to the field, and the checkout waits for a good
 * one (never left showing, and charging, the amount typed before).
 */
function customAmount(item: Item & { customAmount: { min: number; max: number } }) {
  const input = $<HTMLInputElement>('custom-amount');
  const minor = parseAmount(input.value.trim(), locale());
  const { min, max } = item.customAmount;
  const bounds = `${formatMoney(min, catalog.currency)} to ${formatMoney(max, catalog.currency)}`;
  const ok = minor !== undefined && minor >= min && minor <= max;
  input.setAttribute('aria-invalid', String(!ok));
  $('custom-amount-hint').textContent = ok ? bounds : `Enter an amount from ${bounds}.`;
  return ok ? minor : undefined;
}

function mountCheckout(): void {
  if (!selected) return;
  const custom = selected.customAmount
    ? customAmount(selected as Item & { customAmount: { min: number; max: number } })
    : undefined;
  // Hidden, never unmounted: a payment may be in flight, and unmounting would drop its answer
  // (the widget holds updates until its outcome; it cannot hold an unmount).
  const hold = selected.customAmount !== undefined && custom === undefined;
  $('checkout').hidden = hold;
  $('checkout-hold').hidden = !hold;
  if (hold) return;
  const options = {
    endpoint: location.origin,
    item: selected.id,
    ...(nonce ? { nonce } : {}),
    ...(custom === undefined ? {} : { amount: custom }),
    locale: locale(),
    onSuccess: (detail: unknown) => {
      const id = PaidDetail.safeParse(detail);
      $('result').textContent = id.success
        ? `Merchant side: payment ${id.data.payment.id} recorded.`
        : '';
      void refresh();
    },
    onError: () => void refresh(),
    // The widget lists the same saved cards: after a removal or a new default there, ours
    // follows (a change event carries the list; most changes leave it as it was).
    onChange: (detail: unknown) => {
      const cards = SavedCards.safeParse(detail);
      if (!cards.success) return;
      const now = JSON.stringify(cards.data.savedCards);
      if (now !== lastSavedCards) {
        lastSavedCards = now;
        void refresh();
      }
    },
  };
  if (handle) handle.update(options);
  else handle = widget().mount($('checkout'), options);
}

function renderItems(): void {
  const box = $('items');
  const items = [...catalog.products, ...catalog.plans];
  for (const item of items) {
    const label = el('label');
    const radio = el('input');
    radio.type = 'radio';
    radio.name = 'item';
    radio.value = item.id;
    radio.addEventListener('change', () => selectItem(item));
    const price = formatMoney(item.amount, catalog.currency, catalog.minorUnits);
    label.append(
      radio,
      `${item.name} — ${item.customAmount ? 'you choose' : price}${item.interval ? ` / ${item.interval}` : ''}`,
    );
    box.append(label);
  }
  const first = box.querySelector('input');
  if (first && items[0]) {
    first.checked = true;
    selectItem(items[0]);
  }
}

function selectItem(item: Item): void {
  selected = item;
  const row = $('custom-amount-row');
  row.hidden = !item.customAmount;
  if (item.customAmount) {
    const input = $<HTMLInputElement>('custom-amount');
    if (!input.value)
      input.value = new Intl.NumberFormat(locale(), {
        minimumFractionDigits: 2,
        useGrouping: false,
      }).format(item.amount / 100);
  }
  mountCheckout();
}

async function renderSavedCards(): Promise<void> {
  const list = $('saved-cards');
  const { paymentMethods } = await call('/api/payment-methods', PaymentMethods);
  list.replaceChildren(
    ...(paymentMethods.length
      ? paymentMethods.map((m) =>
          el(
            'li',
            `${m.brand} •••• ${m.last4}  ${m.expirationMonth ?? '??'}/${m.expirationYear ?? '????'}${m.default ? '  (default)' : ''}`,
          ),
        )
      : [el('li', 'No saved cards yet.')]),
  );
}

/** The shopper's own subscriptions, each with the cancel a shopper is owed. */
async function renderMySubscriptions(): Promise<void> {
  const { subscriptions } = await call('/api/subscriptions', ShopperSubscriptions);
  $('my-subscriptions').replaceChildren(
    ...(subscriptions.length
      ? subscriptions.map((s) => {
          const li = el(
            'li',
            `${planName(s.planId)} — ${formatMoney(s.amount, s.currency)} / ${s.interval}, ${
              s.canceledAt
                ? `canceled, paid until ${new Date(s.currentPeriodEnd).toLocaleDateString()}`
                : `${s.status}, next renewal ${new Date(s.currentPeriodEnd).toLocaleDateString()}`
            }`,
          );
          if (!s.canceledAt) {
            const cancel = el('button', 'Cancel');
            cancel.type = 'button';
            cancel.setAttribute('aria-label', `Cancel ${planName(s.planId)}`);
            cancel.addEventListener('click', () =>
              merchantAction('Cancellation', () =>
                call(`/api/subscriptions/${s.id}/cancel`, z.unknown(), {
                  method: 'POST',
                  body: {},
                }),
              ),
            );
            li.append(' ', cancel);
          }
          return li;
        })
      : [el('li', 'No subscriptions yet.')]),
  );
}

function planName(id: string): string {
  return catalog.plans.find((p) => p.id === id)?.name ?? id;
}

/** The outcome is shown once the tables are redrawn, so "done" describes what is on screen. */
async function merchantAction(label: string, action: () => Promise<unknown>): Promise<void> {
  const status = $('merchant-status');
  status.textContent = `${label}…`;
  let outcome = `${label}: done.`;
  try {
    await action();
  } catch (err) {
    outcome = `${label}: ${err instanceof Error ? err.message : 'failed'}`;
  }
  await refresh();
  status.textContent = outcome;
}

async function renderPayments(): Promise<void> {
  const { payments } = await call('/api/admin/payments', AdminPayments, { admin: true });
  $('payments').replaceChildren(
    ...payments.map((p) => {
      const tr = el('tr');
      const refundable = p.amount - p.refundedAmount;
      const refunded = p.refundedAmount
        ? ` (refunded ${formatMoney(p.refundedAmount, p.currency)})`
        : '';
      tr.append(
        el('td', new Date(p.createdAt).toLocaleTimeString()),
        el('td', `${p.itemId ?? p.kind} · ${p.card.brand} ${p.card.last4}`),
        el('td', formatMoney(p.amount, p.currency) + refunded),
        el('td', p.declineReason ? `${p.status} (${p.declineReason})` : p.status),
      );
      const cell = el('td');
      if (p.status === 'succeeded' && refundable > 0) {
        const full = el('button', 'Full');
        full.type = 'button';
        full.setAttribute('aria-label', `Refund ${formatMoney(refundable, p.currency)} in full`);
        full.addEventListener('click', () =>
          merchantAction('Refund', () =>
            call(`/api/admin/payments/${p.id}/refunds`, z.unknown(), {
              method: 'POST',
              body: {},
              admin: true,
            }),
          ),
        );
        const amount = el('input');
        amount.setAttribute('aria-label', 'Partial refund amount');
        amount.placeholder = '1.00';
        amount.inputMode = 'decimal';
        const partial = el('button', 'Partial');
        partial.type = 'button';
        partial.addEventListener('click', () => {
          const minor = parseAmount(amount.value.trim(), 'en');
          if (minor === undefined) {
            $('merchant-status').textContent = 'Enter an amount such as 1.00';
            return;
          }
          void merchantAction('Partial refund', () =>
            call(`/api/admin/payments/${p.id}/refunds`, z.unknown(), {
              method: 'POST',
              body: { amount: minor },
              admin: true,
            }),
          );
        });
        cell.append(full, amount, partial);
      }
      tr.append(cell);
      return tr;
    }),
  );
}

async function renderSubscriptions(): Promise<void> {
  const { subscriptions } = await call('/api/admin/subscriptions', AdminSubscriptions, {
    admin: true,
  });
  $('subscriptions').replaceChildren(
    ...subscriptions.map((s) => {
      const tr = el('tr');
      tr.append(
        el('td', s.planId),
        el('td', formatMoney(s.amount, s.currency)),
        el('td', `#${s.currentPeriod} until ${new Date(s.currentPeriodEnd).toLocaleDateString()}`),
        el('td', s.status),
      );
      const cell = el('td');
      const renew = el('button', 'Renew now');
      renew.type = 'button';
      // Names the period this row shows as next: a second click before the table refreshes
      // (or a retry after a lost answer) is refused with renewal_period_mismatch, not billed.
      renew.addEventListener('click', () =>
        merchantAction('Renewal', () =>
          call(`/api/admin/subscriptions/${s.id}/renewals`, z.unknown(), {
            method: 'POST',
            body: { period: s.currentPeriod + 1 },
            admin: true,
          }),
        ),
      );
      const cancel = el('button', 'Cancel');
      cancel.type = 'button';
      cancel.addEventListener('click', () =>
        merchantAction('Cancellation', () =>
          call(`/api/admin/subscriptions/${s.id}/cancel`, z.unknown(), {
            method: 'POST',
            body: {},
            admin: true,
          }),
        ),
      );
      if (s.status !== 'canceled') cell.append(renew, ' ', cancel);
      tr.append(cell);
      return tr;
    }),
  );
}

async function refresh(): Promise<void> {
  await Promise.allSettled([
    renderSavedCards(),
    renderMySubscriptions(),
    renderPayments(),
    renderSubscriptions(),
  ]);
}

async function start(): Promise<void> {
  catalog = await call('/api/catalog', CatalogSchema);
  renderItems();
  $('custom-amount').addEventListener('change', mountCheckout);
  $('locale').addEventListener('change', mountCheckout);
  await refresh();
}

void start();
