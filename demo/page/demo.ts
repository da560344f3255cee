/**
 * The demo merchant page: pick an item, pay with the widget, watch the merchant panel.
 * Everything here is what a merchant would write around the widget; nothing touches card data.
 */
import { z } from 'zod';
// The widget's own reading of a typed amount: the locale's separators, nothing ambiguous.
import { parseAmount } from '../../widget/checkout/validate.ts';
// The widget's network names, so the panel says "Visa" where the stub's answer says `visa`.
import { brandName } from '../../widget/ui/networks.ts';
import {
  type AdminPayment,
  AdminPayments,
  AdminSubscriptions,
  adminTokenNow,
  CallError,
  type Catalog,
  Catalog as CatalogSchema,
  call,
  forgetAdminToken,
  formatMoney,
  type Item,
  keepAdminToken,
  type PaymentMethod,
  PaymentMethods,
  per,
  ShopperSubscriptions,
  tokenEmbedded,
  useAdminToken,
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
const ReadyDetail = z.object({ item: z.object({ id: z.string() }) });
const SavedCards = z.object({
  savedCards: z.array(z.object({ id: z.string(), isDefault: z.boolean() })),
});

/** The CSP nonce this page was served with; the widget puts it on the style it injects. */
const nonce =
  document.currentScript instanceof HTMLScriptElement ? document.currentScript.nonce : '';

let catalog: Catalog;
let handle: Handle | undefined;
let selected: Item | undefined;
/** The item the widget's form is for (its last `checkout:ready`): what a receipt will be for. */
let shown: string | undefined;
/** The widget's saved-card list as last seen, to refresh ours only when it changed. */
let lastSavedCards = '';
/** The last donation read from the field, in minor units: rewritten in a new language's format. */
let donation: number | undefined;
/** The next refresh while CyberSource still has to settle something on the panel. */
let settling: ReturnType<typeof setTimeout> | undefined;
/** How often the panel looks again while a payment is unresolved or a hold is being released. */
const SETTLE_POLL_MS = 15_000;

function widget(): CyberCheckoutGlobal {
  const g = (window as unknown as { CyberCheckout?: CyberCheckoutGlobal }).CyberCheckout;
  if (!g) throw new Error('checkout.js did not load');
  return g;
}

const locale = () => $<HTMLSelectElement>('locale').value;

/** An amount as the shopper would type it in the chosen language (`12,50` in French). */
const amountText = (minor: number) =>
  new Intl.NumberFormat(locale(), {
    minimumFractionDigits: catalog.minorUnits,
    useGrouping: false,
  }).format(minor / 10 ** catalog.minorUnits);

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
  $('custom-amount-hint').textContent = ok
    ? bounds
    : minor === undefined
      ? `Enter an amount like ${amountText(1250)}, from ${bounds}.`
      : `Enter an amount from ${bounds}.`;
  if (ok) donation = minor;
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
    // Always named: `update()` merges, and an amount kept from the donation would be refused on
    // a fixed-price item.
    amount: custom,
    locale: locale(),
    onReady: (detail: unknown) => {
      const ready = ReadyDetail.safeParse(detail);
      if (ready.success) shown = ready.data.item.id;
    },
    onSuccess: (detail: unknown) => {
      // An item chosen while the payment was being confirmed waited (the widget holds changes
      // until the outcome): the receipt is the paid item's, so the page shows that item again,
      // and choosing the other one starts its checkout.
      const paidFor = [...catalog.products, ...catalog.plans].find((i) => i.id === shown);
      if (paidFor && paidFor !== selected) showItem(paidFor);
      const id = PaidDetail.safeParse(detail);
      $('result').textContent = id.success
        ? `Merchant side: payment ${id.data.payment.id} recorded.`
        : '';
      refreshWhenFree();
    },
    onError: () => {
      // Not this payment's: a line left from an earlier success would contradict the decline.
      $('result').textContent = '';
      refreshWhenFree();
    },
    // The widget lists the same saved cards: after a removal or a new default there, ours
    // follows (a change event carries the list; most changes leave it as it was).
    onChange: (detail: unknown) => {
      const cards = SavedCards.safeParse(detail);
      if (!cards.success) return;
      const now = JSON.stringify(cards.data.savedCards);
      if (now !== lastSavedCards) {
        lastSavedCards = now;
        refreshWhenFree();
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
      `${item.name} — ${item.customAmount ? 'you choose' : price}${item.interval ? ` / ${per(item.interval, item.intervalCount)}` : ''}`,
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
  showItem(item);
  $('result').textContent = '';
  mountCheckout();
}

/** The page's side of choosing `item`: its radio, and the amount field for a custom amount. */
function showItem(item: Item): void {
  selected = item;
  const radio = $('items').querySelector<HTMLInputElement>(`input[value="${CSS.escape(item.id)}"]`);
  if (radio) radio.checked = true;
  const row = $('custom-amount-row');
  row.hidden = !item.customAmount;
  if (item.customAmount) {
    const input = $<HTMLInputElement>('custom-amount');
    if (!input.value) input.value = amountText(item.amount);
  }
}

const cardName = (m: PaymentMethod) => `${brandName(m.brand)} •••• ${m.last4}`;

/** Whether the card's last valid day (the end of its expiry month, UTC) is before `iso`. */
function expiresBefore(m: PaymentMethod, iso: string): boolean {
  const month = Number(m.expirationMonth);
  const year = Number(m.expirationYear);
  if (!month || !year) return false;
  return Date.UTC(year, month, 1) <= Date.parse(iso);
}

async function renderSavedCards(cards: Promise<PaymentMethod[]>): Promise<void> {
  const paymentMethods = await cards;
  $('saved-cards').replaceChildren(
    ...(paymentMethods.length
      ? paymentMethods.map((m) =>
          el(
            'li',
            `${cardName(m)}  ${m.expirationMonth ?? '??'}/${m.expirationYear ?? '????'}${m.default ? '  (default)' : ''}`,
          ),
        )
      : [el('li', 'No saved cards yet.')]),
  );
}

/**
 * Moving a live subscription onto another saved card: a select of the shopper's cards (the
 * current one chosen) and a button. Undefined with no other card to choose.
 */
function cardChanger(
  s: { id: string; planId: string; paymentMethodId: string },
  cards: PaymentMethod[],
): HTMLElement | undefined {
  if (!cards.some((m) => m.id !== s.paymentMethodId)) return undefined;
  const plan = planName(s.planId);
  const select = el('select');
  select.setAttribute('aria-label', `Card for ${plan}`);
  select.append(
    ...cards.map((m) => {
      const option = el('option', cardName(m));
      option.value = m.id;
      option.selected = m.id === s.paymentMethodId;
      return option;
    }),
  );
  const use = el('button', 'Use this card');
  use.type = 'button';
  // Its name starts with what it shows (WCAG 2.5.3), like the Cancel button's.
  use.setAttribute('aria-label', `Use this card for ${plan}`);
  use.addEventListener('click', () => {
    use.disabled = true;
    void pageAction(
      'Card change',
      () =>
        call(`/api/subscriptions/${s.id}/payment-method`, z.unknown(), {
          method: 'PUT',
          body: { paymentMethodId: select.value },
        }),
      'shopper-status',
    );
  });
  const span = el('span');
  span.append(select, ' ', use);
  return span;
}

/** The shopper's saved cards as last read. */
let cardsRead: PaymentMethod[] = [];

/** The shopper's own subscriptions, each with the cancel and the card change a shopper is owed. */
async function renderMySubscriptions(cards: Promise<PaymentMethod[]>): Promise<void> {
  const [{ subscriptions }, saved] = await Promise.all([
    call('/api/subscriptions', ShopperSubscriptions),
    // A read that failed (TMS slow or down a moment) keeps the cards read before: each
    // subscription still says which card it renews with, and offers the others.
    cards.catch(() => cardsRead),
  ]);
  $('my-subscriptions').replaceChildren(
    ...(subscriptions.length
      ? subscriptions.map((s) => {
          const card = saved.find((m) => m.id === s.paymentMethodId);
          const li = el(
            'li',
            `${planName(s.planId)} — ${formatMoney(s.amount, s.currency)} / ${per(s.interval, s.intervalCount)}, ${
              s.canceledAt
                ? `canceled${s.canceledBy === 'merchant' ? ' by the shop' : ''}, paid until ${new Date(s.currentPeriodEnd).toLocaleDateString()}`
                : `${s.status}, next renewal ${new Date(s.currentPeriodEnd).toLocaleDateString()}${
                    card ? ` on ${cardName(card)}` : ''
                  }${card && expiresBefore(card, s.currentPeriodEnd) ? ' (the card expires before then)' : ''}`
            }`,
          );
          const live = s.status === 'active' || s.status === 'past_due';
          const changer = live ? cardChanger(s, saved) : undefined;
          if (changer) li.append(' ', changer);
          if (!s.canceledAt) {
            const plan = planName(s.planId);
            const cancel = confirmingButton(
              'Cancel',
              `Cancel ${plan}`,
              {
                label: `Confirm cancellation of ${plan}`,
                question: `Cancel ${plan}? It renews no more; press Confirm to cancel.`,
                statusId: 'shopper-status',
              },
              () =>
                pageAction(
                  'Cancellation',
                  () =>
                    call(`/api/subscriptions/${s.id}/cancel`, z.unknown(), {
                      method: 'POST',
                      body: {},
                    }),
                  'shopper-status',
                ),
            );
            li.append(' ', cancel);
          } else if (s.canceledBy === 'shopper' && Date.parse(s.currentPeriodEnd) > Date.now()) {
            // Their own cancellation, taken back while the paid period runs: nothing is charged
            // (stub "resume"; the merchant's is the merchant's to take back).
            const resume = el('button', 'Resume');
            resume.type = 'button';
            resume.setAttribute('aria-label', `Resume ${planName(s.planId)}`);
            resume.addEventListener('click', () =>
              pageAction(
                'Resumption',
                () =>
                  call(`/api/subscriptions/${s.id}/resume`, z.unknown(), {
                    method: 'POST',
                    body: {},
                  }),
                'shopper-status',
              ),
            );
            li.append(' ', resume);
          }
          return li;
        })
      : [el('li', 'No subscriptions yet.')]),
  );
}

function planName(id: string): string {
  return catalog.plans.find((p) => p.id === id)?.name ?? id;
}

/** A product's or plan's name, as the shop shows it. */
function itemName(id: string | null): string {
  return [...catalog.products, ...catalog.plans].find((i) => i.id === id)?.name ?? id ?? '';
}

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

/**
 * The status cell: refunds (and a refund still being confirmed), a decline's reason, a
 * risk-declined sale's hold on the card, and a plan paid whose subscription never started.
 */
function paymentStatus(p: AdminPayment): string {
  const unresolved = p.unresolvedRefundAmount ?? 0;
  const confirmed = p.refundedAmount - unresolved;
  const refunded =
    p.status === 'succeeded' && p.refundedAmount > 0
      ? `${
          confirmed <= 0 ? 'succeeded' : confirmed >= p.amount ? 'refunded' : 'partially refunded'
        }${unresolved > 0 ? `; refund of ${formatMoney(unresolved, p.currency)} being confirmed` : ''}`
      : p.status;
  const hold =
    p.authorizationHold === 'held'
      ? '; releasing the hold on the card'
      : p.authorizationHold === 'released'
        ? '; hold on the card released'
        : p.authorizationHold === 'release_failed'
          ? '; hold not released (lapses by itself)'
          : '';
  // Paid, but its subscription could not be started (the stub logged why): the panel says so
  // until it is refunded.
  const unstarted =
    p.planStartGivenUpAt && p.refundedAmount < p.amount
      ? '; subscription never started: refund it'
      : '';
  // A paid order's reason is history (why a review held it), not a failure.
  const reason = p.status === 'succeeded' ? undefined : p.declineReason;
  return `${refunded}${reason ? ` (${reason}${hold})` : hold}${unstarted}`;
}

/**
 * The outcome is shown once the tables are redrawn, so "done" describes what is on screen, in
 * the status line of the section the button is in (the shopper's own, or the merchant panel's).
 */
async function pageAction(
  label: string,
  action: () => Promise<unknown>,
  statusId = 'merchant-status',
): Promise<void> {
  const status = $(statusId);
  status.textContent = `${label}…`;
  let outcome = `${label}: done.`;
  // The tables are redrawn: a keyboard user's focus would fall to the page; it goes to the
  // outcome instead.
  const fromSection = !!document.activeElement?.closest('section');
  try {
    await action();
  } catch (err) {
    outcome = `${label}: ${err instanceof Error ? err.message : 'failed'}`;
  }
  await refresh();
  status.textContent = outcome;
  if (fromSection) status.focus();
}

/**
 * A press sooner than this after the one that asked is the same gesture (a double-click, a held
 * Enter repeating), never the confirmation.
 */
const SAME_GESTURE_MS = 500;
/** The button now asking "Confirm?": the panel's poll never redraws it away meanwhile. */
let asking: HTMLButtonElement | undefined;

/**
 * A button whose action cannot be taken back (a full refund, a cancellation) asks once more: the
 * first press turns it into "Confirm", said in the status line; a second, separate press acts.
 * No dialog, so keyboard and screen-reader users stay on the same button, and no time limit
 * (WCAG 2.2.1): leaving the button, or Escape, takes the question back. A partial refund needs
 * no second press: its amount is typed.
 */
function confirmingButton(
  text: string,
  label: string,
  confirm: { label: string; question: string; statusId?: string },
  action: () => Promise<void>,
): HTMLButtonElement {
  const status = () => $(confirm.statusId ?? 'merchant-status');
  const button = el('button', text);
  button.type = 'button';
  button.setAttribute('aria-label', label);
  let askedAt: number | undefined;
  const disarm = () => {
    if (askedAt === undefined) return;
    askedAt = undefined;
    if (asking === button) asking = undefined;
    button.textContent = text;
    button.setAttribute('aria-label', label);
    if (status().textContent === confirm.question) status().textContent = '';
  };
  button.addEventListener('click', (e) => {
    if (askedAt === undefined) {
      askedAt = performance.now();
      asking = button;
      button.textContent = 'Confirm';
      button.setAttribute('aria-label', confirm.label);
      status().textContent = confirm.question;
      return;
    }
    if (e.detail > 1 || performance.now() - askedAt < SAME_GESTURE_MS) return;
    disarm();
    button.disabled = true;
    void action();
  });
  button.addEventListener('blur', disarm);
  button.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') disarm();
    // A held Enter or Space repeats its click: one press asks, it never also answers.
    if (e.repeat && (e.key === 'Enter' || e.key === ' ')) e.preventDefault();
  });
  return button;
}

/** The merchant's payments; true while one still waits for CyberSource (the panel looks again). */
async function renderPayments(): Promise<boolean> {
  const { payments } = await call('/api/admin/payments', AdminPayments, { admin: true });
  const unsettled = payments.some(
    (p) =>
      ['pending', 'unknown', 'review'].includes(p.status) ||
      p.authorizationHold === 'held' ||
      (p.unresolvedRefundAmount ?? 0) > 0,
  );
  $('payments').replaceChildren(
    ...payments.map((p) => {
      const tr = el('tr');
      const refundable = p.amount - p.refundedAmount;
      const refunded = p.refundedAmount
        ? ` (refunded ${formatMoney(p.refundedAmount, p.currency)})`
        : '';
      const what = `${itemName(p.itemId)}${p.kind === 'renewal' && p.period ? ` renewal #${p.period}` : ''}`;
      const row = `${what}, ${when(p.createdAt)}`;
      tr.append(
        el('td', when(p.createdAt)),
        el('td', `${what} · ${brandName(p.card.brand)} ${p.card.last4}`),
        el('td', formatMoney(p.amount, p.currency) + refunded),
        el('td', paymentStatus(p)),
      );
      const cell = el('td');
      if (p.status === 'succeeded' && refundable > 0) {
        const left = formatMoney(refundable, p.currency);
        const full = confirmingButton(
          'Full',
          `Refund ${left} in full: ${row}`,
          {
            label: `Confirm refund of ${left} in full: ${row}`,
            question: `Refund ${left} in full (${row})? Press Confirm to refund.`,
          },
          () =>
            pageAction('Refund', () =>
              call(`/api/admin/payments/${p.id}/refunds`, z.unknown(), {
                method: 'POST',
                body: {},
                admin: true,
              }),
            ),
        );
        const amount = el('input');
        amount.setAttribute('aria-label', `Partial refund amount: ${row}`);
        amount.placeholder = '1.00';
        amount.inputMode = 'decimal';
        const partial = el('button', 'Partial');
        partial.type = 'button';
        partial.setAttribute('aria-label', `Partial refund: ${row}`);
        const refundPart = () => {
          const minor = parseAmount(amount.value.trim(), 'en');
          // Said here, with what is left, rather than as the stub's generic refusal.
          if (minor === undefined || minor <= 0 || minor > refundable) {
            $('merchant-status').textContent =
              `Enter an amount from ${formatMoney(1, p.currency)} to ${formatMoney(refundable, p.currency)}, such as 1.00.`;
            return;
          }
          // One refund per press: a double-click or a second Enter while it runs is not another.
          if (partial.disabled) return;
          partial.disabled = amount.disabled = true;
          void pageAction('Partial refund', () =>
            call(`/api/admin/payments/${p.id}/refunds`, z.unknown(), {
              method: 'POST',
              body: { amount: minor },
              admin: true,
            }),
          ).finally(() => {
            partial.disabled = amount.disabled = false;
          });
        };
        partial.addEventListener('click', refundPart);
        amount.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') refundPart();
        });
        cell.append(full, amount, partial);
      }
      tr.append(cell);
      return tr;
    }),
  );
  return unsettled;
}

async function renderSubscriptions(): Promise<void> {
  const { subscriptions } = await call('/api/admin/subscriptions', AdminSubscriptions, {
    admin: true,
  });
  $('subscriptions').replaceChildren(
    ...subscriptions.map((s) => {
      const tr = el('tr');
      tr.append(
        el('td', planName(s.planId)),
        el('td', `${formatMoney(s.amount, s.currency)} / ${per(s.interval, s.intervalCount)}`),
        el('td', `#${s.currentPeriod} until ${new Date(s.currentPeriodEnd).toLocaleDateString()}`),
        el('td', s.status),
      );
      const cell = el('td');
      const renew = el('button', 'Renew now');
      renew.type = 'button';
      renew.setAttribute(
        'aria-label',
        `Renew now: ${planName(s.planId)}, period #${s.currentPeriod + 1}`,
      );
      // Names the period this row shows as next, and its last failed attempt: a second click
      // before the table refreshes (or a retry after a lost answer) is refused with
      // renewal_period_mismatch, and one after a scheduled attempt this row does not show yet
      // with renewal_attempted_since, not billed.
      renew.addEventListener('click', () =>
        pageAction('Renewal', () =>
          call(`/api/admin/subscriptions/${s.id}/renewals`, z.unknown(), {
            method: 'POST',
            body: {
              period: s.currentPeriod + 1,
              lastFailurePaymentId: s.renewal.lastFailurePaymentId,
            },
            admin: true,
          }),
        ),
      );
      const which = `${planName(s.planId)}, period #${s.currentPeriod}`;
      const cancel = confirmingButton(
        'Cancel',
        `Cancel: ${which}`,
        {
          label: `Confirm cancellation: ${which}`,
          question: `Cancel ${which}? It renews no more; press Confirm to cancel.`,
        },
        () =>
          pageAction('Cancellation', () =>
            call(`/api/admin/subscriptions/${s.id}/cancel`, z.unknown(), {
              method: 'POST',
              body: {},
              admin: true,
            }),
          ),
      );
      if (s.status !== 'canceled') cell.append(renew, ' ', cancel);
      else if (Date.parse(s.currentPeriodEnd) > Date.now()) {
        const resume = el('button', 'Resume');
        resume.type = 'button';
        resume.setAttribute('aria-label', `Resume: ${which}`);
        resume.addEventListener('click', () =>
          pageAction('Resumption', () =>
            call(`/api/admin/subscriptions/${s.id}/resume`, z.unknown(), {
              method: 'POST',
              body: {},
              admin: true,
            }),
          ),
        );
        cell.append(resume);
      }
      tr.append(cell);
      return tr;
    }),
  );
}

/** The lists a redraw replaces, rows and whatever had focus there. */
const REDRAWN = ['saved-cards', 'my-subscriptions', 'payments', 'subscriptions'];

/**
 * Someone is working in a list: a button asks "Confirm?", focus is on one of its rows (a
 * keyboard user's place would drop to the page's start), or a partial refund amount is typed.
 */
function inUse(): boolean {
  const active = document.activeElement;
  return (
    !!asking?.isConnected ||
    REDRAWN.some((id) => $(id).contains(active)) ||
    [...$('payments').querySelectorAll('input')].some((i) => i.value !== '')
  );
}

/** The redraw running, and the one to follow it for whoever asked meanwhile. */
let redrawing: Promise<void> | undefined;
let redrawNext: Promise<void> | undefined;

/**
 * Redraws the lists from the stub, one redraw at a time: two at once can be answered in the
 * other order and leave the older answer drawn (a refund just made shown as not made, with a
 * Full button for money already returned). Asked while one runs, it runs once more after it,
 * for everyone who asked meanwhile: each caller's redraw reads the stub after its own change.
 */
function refresh(): Promise<void> {
  if (!redrawing) {
    redrawing = redraw().finally(() => {
      redrawing = undefined;
    });
    return redrawing;
  }
  // After it however it ended (a redraw settles its reads, but one rejecting must not leave
  // this set for good, and every later redraw waiting on it).
  const after = () => {
    redrawNext = undefined;
    return refresh();
  };
  redrawNext ??= redrawing.then(after, after);
  return redrawNext;
}

/** How soon a redraw the widget asked for looks again whether the lists are free. */
const FREE_RECHECK_MS = 1_000;
let waitingFree: ReturnType<typeof setTimeout> | undefined;

/**
 * A redraw nobody pressed a button for (the widget's: a payment, a card saved or removed; the
 * poll's while something settles): now, or once nobody is working in the lists, so a
 * merchant's "Confirm?" or typed refund amount is never redrawn away.
 */
function refreshWhenFree(): void {
  if (!inUse()) {
    void refresh();
    return;
  }
  // Its own timer: a redraw ending meanwhile clears `settling`, and took this one with it (a
  // payment answered during a refund's redraw was left off the panel).
  clearTimeout(waitingFree);
  waitingFree = setTimeout(refreshWhenFree, FREE_RECHECK_MS);
}

async function redraw(): Promise<void> {
  // One read of the saved cards for both lists.
  const cards = call('/api/payment-methods', PaymentMethods).then(
    (r) => (cardsRead = r.paymentMethods),
  );
  // The merchant's lists only with an admin token: against CyberSource the panel waits for the
  // operator's, and the shopper's lists are drawn meanwhile.
  const token = adminTokenNow();
  const [, , payments, subscriptions] = await Promise.allSettled([
    renderSavedCards(cards),
    renderMySubscriptions(cards),
    token ? renderPayments() : false,
    token ? renderSubscriptions() : undefined,
  ]);
  if (token && !tokenEmbedded) tokenAnswered(token, [payments, subscriptions]);
  // An unknown outcome, a review or a hold being released settles in the background (the
  // reconciler): look again until it has, so the panel never shows a stale state.
  clearTimeout(settling);
  settling =
    payments.status === 'fulfilled' && payments.value
      ? setTimeout(refreshWhenFree, SETTLE_POLL_MS)
      : undefined;
}

/** Whether the merchant's tables show: on the emulator always, else once a token is accepted. */
let panelOpen = tokenEmbedded;
/** A token the operator typed is being tried: its answer moves the focus. */
let typedToken = false;

/** Against CyberSource: the token form until a token is accepted, then the tables and "Forget". */
function showPanel(): void {
  if (tokenEmbedded) return;
  $('merchant-data').hidden = !panelOpen;
  $('admin-token-form').hidden = panelOpen;
  $('admin-token-open').hidden = !panelOpen;
}

/** The merchant's tables emptied: nothing read with a token stays on a page without one. */
function clearTables(): void {
  $('payments').replaceChildren();
  $('subscriptions').replaceChildren();
}

/** The merchant's tables emptied and hidden, the form shown again, saying `why`. */
function closePanel(why: string, invalid: boolean): void {
  forgetAdminToken();
  panelOpen = false;
  clearTables();
  showPanel();
  const input = $<HTMLInputElement>('admin-token');
  input.setAttribute('aria-invalid', String(invalid));
  $('admin-token-status').textContent = why;
}

/**
 * The stub's answer to the merchant's reads with `token`: a 401 says the token is not the
 * ADMIN_TOKEN the demo runs with (forgotten, the form says so); anything else opens the panel
 * and keeps the token for this tab. A token typed again meanwhile is that redraw's to judge.
 */
function tokenAnswered(token: string, reads: PromiseSettledResult<unknown>[]): void {
  if (adminTokenNow() !== token) {
    // Forgotten, or typed anew, while its reads ran: what they drew goes (a new token's own
    // redraw follows).
    if (!panelOpen) clearTables();
    return;
  }
  const typed = typedToken;
  typedToken = false;
  const refused = reads.some(
    (r) => r.status === 'rejected' && r.reason instanceof CallError && r.reason.status === 401,
  );
  if (refused) {
    closePanel(
      'Refused (HTTP 401 Unauthorized): this is not the ADMIN_TOKEN the demo runs with. Check it and try again.',
      true,
    );
    if (typed) $('admin-token').focus();
    return;
  }
  const checked = reads.some((r) => r.status === 'fulfilled');
  if (checked) keepAdminToken();
  if (panelOpen) return;
  if (!checked) {
    // Neither read answered (the stub down, a timeout, a 500): a token just typed is not known
    // good, so the panel stays closed and it is not kept (the field keeps it to send again); one
    // this tab kept was good before, and stays for a reload.
    const failed = reads.find((r) => r.status === 'rejected');
    const why = failed?.reason instanceof CallError ? `HTTP ${failed.reason.status}` : 'no answer';
    $('admin-token-status').textContent = `Could not check the token (${why}). Try again.`;
    if (typed) forgetAdminToken();
    return;
  }
  panelOpen = true;
  const input = $<HTMLInputElement>('admin-token');
  input.value = '';
  input.setAttribute('aria-invalid', 'false');
  $('admin-token-status').textContent = '';
  showPanel();
  if (typed) {
    // The form is hidden: focus goes to the line saying what happened, not to the page's start.
    $('merchant-status').textContent = 'Admin token accepted for this tab.';
    $('merchant-status').focus();
  }
}

/** The panel's admin token form (against CyberSource; the emulator's page carries the token). */
function tokenForm(): void {
  if (tokenEmbedded) return;
  showPanel();
  $('admin-token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $<HTMLInputElement>('admin-token');
    const typed = input.value.trim();
    // Sent as `Authorization: Bearer …`: what no ADMIN_TOKEN can be is said here.
    if (!/^[\x21-\x7e]+$/.test(typed)) {
      input.setAttribute('aria-invalid', 'true');
      $('admin-token-status').textContent =
        'Enter the admin token: printable characters, without spaces.';
      return;
    }
    // No catalog, nothing to draw the panel with (the shop says it cannot sell).
    if (!catalog) {
      $('admin-token-status').textContent = 'The shop did not load: reload the page.';
      return;
    }
    useAdminToken(typed);
    typedToken = true;
    $('admin-token-status').textContent = 'Checking the admin token…';
    void refresh();
  });
  $('admin-token-forget').addEventListener('click', () => {
    closePanel('The admin token is forgotten in this tab.', false);
    $('merchant-status').textContent = '';
    $('admin-token').focus();
  });
}

async function start(): Promise<void> {
  // Before the catalog: an Enter in the token field never submits the form to the page itself.
  tokenForm();
  try {
    catalog = await call('/api/catalog', CatalogSchema);
  } catch (err) {
    // CHECKOUT_ENABLED=false (503 checkout_disabled) or a stub that is not there: say so in the
    // shop rather than show an empty one. (The panels name items from the catalog: not drawn.)
    $('result').textContent = `The shop cannot sell right now: ${(err as Error).message}`;
    return;
  }
  renderItems();
  $('custom-amount').addEventListener('change', mountCheckout);
  $('locale').addEventListener('change', () => {
    // The donation as read before, written in the new language's format (10.00 → 10,00).
    if (selected?.customAmount && donation !== undefined)
      $<HTMLInputElement>('custom-amount').value = amountText(donation);
    mountCheckout();
  });
  await refresh();
}

void start();
