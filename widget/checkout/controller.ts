/**
 * @module The checkout's behaviour: the item, session and saved cards, the Microform fields and
 * their lifetime, validation, paying, and saved-card management. The view is a pure function of
 * `c.s`; everything with a side effect is here. A closure rather than a class, so the minifier
 * can shorten every internal name (the 12 KB budget, issue 5).
 */
import { call, errorOf, postPayment } from '../api/client.ts';
import {
  parseCatalogItem,
  parsePaymentMethods,
  parsePaymentResult,
  parseSession,
} from '../api/parse.ts';
import type { PaymentRequest, Session } from '../api/types.ts';
import type { MessageKey } from '../i18n/en.ts';
import { EN, loadLocale } from '../i18n/locale.ts';
import { libraryOf } from '../microform/capture-context.ts';
import { CardFields } from '../microform/card-fields.ts';
import { fieldStyles } from '../microform/field-styles.ts';
import type { FlexConstructor } from '../microform/flex-types.ts';
import { isAllowedLibrary } from '../microform/library-origin.ts';
import { loadFlex } from '../microform/loader.ts';
import type { CheckoutOptions } from '../options.ts';
import { brandName } from '../ui/networks.ts';
import { declineMessage, tokenProblem } from './reasons.ts';
import { FIELD_ORDER, type FieldName, type Notice, type Phase, type State } from './state.ts';
import { checkExpiry, formatExpiry, isEmail, parseAmount } from './validate.ts';

/** Renew the capture context this long before it expires (it lives 15 min: API-FACTS §5.2). */
export const REFRESH_LEAD_MS = 120_000;

export type EventName = 'ready' | 'change' | 'success' | 'error';

export interface Host {
  render(): void;
  emit(name: EventName, detail: unknown): void;
  /** A merchant mistake: logged by option name and shown in place of the form. */
  misconfigured(name: string, message: string): void;
}

export type Checkout = ReturnType<typeof createCheckout>;

const BILLING = ['address1', 'locality', 'region', 'postalCode', 'country'];
const isCard = (n: string): n is 'number' | 'cvv' => n === 'number' || n === 'cvv';
let instances = 0;

export function createCheckout(root: HTMLElement, options: CheckoutOptions, host: Host) {
  const uid = `cc${++instances}`;
  let fields: CardFields | undefined;
  let session: Session | undefined;
  /** The attempt in flight or last answered ambiguously, with its Idempotency-Key. */
  let attempt: { req: PaymentRequest; key: string } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by start/destroy: answers to stale requests are dropped. */
  let gen = 0;
  let readied = false;

  const set = (patch: Partial<State>) => {
    c.s = { ...c.s, ...patch };
    host.render();
  };
  const t = (key: MessageKey, params?: Notice['params']) => c.locale.t(key, params);
  /** The one live region; a toggled trailing space makes a repeated message audible again. */
  const say = (text: string) =>
    set({ announcement: c.s.announcement === text ? `${text}\u00a0` : text });
  /** Focus after a render that removed the focused control (the pay button disables while paying). */
  const focus = (selector: string) => root.querySelector<HTMLElement>(selector)?.focus();
  /** Our inputs are uncontrolled: their values live in the DOM until they are needed. */
  const value = (name: string) =>
    root.querySelector<HTMLInputElement>(`[name=${name}]`)?.value.trim() ?? '';
  const fieldState = (n: 'number' | 'cvv') => fields?.states[n];
  const stop = () => {
    clearTimeout(timer);
    fields?.dispose();
    fields = undefined;
  };

  /** Shows a notice, says it, focuses it and emits `error`. */
  const report = (
    phase: Phase,
    notice: Notice,
    code: string,
    reason?: string,
    message?: string,
  ) => {
    if (phase === 'error') stop();
    set({ phase, notice });
    const text = t(notice.key, notice.params);
    say(text);
    focus('.cc-notice');
    host.emit('error', { code, message: message || text, ...(reason && { reason }) });
  };
  const broken = (code: string, key: MessageKey = 'loadFailed', params?: Notice['params']) =>
    report('error', { key, params, action: 'restart' }, code);

  const changed = () => {
    const saved = c.s.selected !== 'new';
    host.emit('change', {
      paymentMethod: saved ? 'saved' : 'new',
      complete: !invalid(!saved).length,
      brands: saved ? [] : c.s.brands,
    });
  };

  const problem = (name: FieldName): MessageKey | undefined => {
    if (isCard(name)) {
      const st = fieldState(name);
      return !st || st.empty
        ? 'required'
        : st.valid
          ? undefined
          : name === 'cvv'
            ? 'cvvInvalid'
            : 'numberInvalid';
    }
    const v = value(name);
    const b = c.s.item?.custom;
    const amount = c.amount();
    if (name === 'amount')
      return !b || (amount && amount >= b.min && amount <= b.max) ? undefined : 'amountInvalid';
    if (name === 'expiry') {
      const e = checkExpiry(v);
      return typeof e === 'string' ? e : undefined;
    }
    if (name === 'region') return undefined;
    if (!v || (name === 'country' && !/^[a-z]{2}$/i.test(v))) return 'required';
    return name === 'email' && !isEmail(v) ? 'emailInvalid' : undefined;
  };

  /** Invalid fields in document order; `card`: the new-card fields count too. */
  const invalid = (card: boolean) =>
    FIELD_ORDER.filter(
      (n) =>
        (n === 'amount'
          ? c.s.item?.custom && c.opts.amount === undefined
          : BILLING.includes(n)
            ? card && session?.requireBillingAddress
            : card) && problem(n),
    );

  const showInvalid = (names: FieldName[]) => {
    const errors = { ...c.s.errors };
    // Fields Microform rejected while our view of them looked fine get its verdict.
    for (const n of names)
      errors[n] =
        problem(n) ??
        (n === 'cvv' ? 'cvvInvalid' : n === 'number' ? 'numberInvalid' : 'expiryInvalid');
    set({ errors, phase: c.s.phase === 'paying' ? 'ready' : c.s.phase });
    const first = names[0];
    if (!first) return;
    say(t('fixErrors', { first: t(errors[first] ?? 'required', c.bounds()) }));
    c.focusField(first);
  };

  /** A new session, the library, and fresh fields. `renewal`: the shopper may have typed into the old ones. */
  const open = async (g: number, renewal: boolean) => {
    const a = await call(
      c.opts.endpoint,
      'POST',
      '/api/checkout/sessions',
      // Empty: the stub's SessionBody is a strict empty object (server-stub/http/schemas.ts).
      {},
      crypto.randomUUID(),
    );
    if (g !== gen) return;
    if (a?.status === 429) return broken('rate_limited', 'rateLimited', { seconds: a.wait });
    const ses = a && a.status < 300 ? parseSession(a.body) : undefined;
    const lib = ses && libraryOf(ses.captureContext);
    if (!ses || !lib) return broken((a && errorOf(a).code) || 'load_failed');
    if (!isAllowedLibrary(lib.clientLibrary, ses)) {
      console.error(`CyberCheckout: refused Microform from ${lib.clientLibrary}`);
      return broken('library_refused');
    }
    const Flex = await loadFlex(lib.clientLibrary, lib.clientLibraryIntegrity).catch(
      () => undefined,
    );
    if (g !== gen) return;
    if (!Flex) return broken('load_failed');
    const typed = renewal && !!fields && !(fields.states.number.empty && fields.states.cvv.empty);
    session = ses;
    set({
      session: ses,
      testMode:
        ses.environment !== 'production' || lib.clientLibrary.startsWith('https://testflex.'),
      fieldsReady: false,
      brands: [],
    });
    mountFields(Flex, ses, g, typed);
    clearTimeout(timer);
    const life = ses.expiresAt - Date.now();
    timer = setTimeout(() => void c.renew(), Math.max(life - REFRESH_LEAD_MS, life / 2));
  };

  const mountFields = (Flex: FlexConstructor, ses: Session, g: number, reenter: boolean) => {
    fields?.dispose();
    const number = root.querySelector<HTMLElement>('[data-cc-field=number]');
    const securityCode = root.querySelector<HTMLElement>('[data-cc-field=securityCode]');
    if (!number || !securityCode) return broken('load_failed');
    // Old iframes belong to the old context; Microform adds new ones (preact never owns them).
    number.replaceChildren();
    securityCode.replaceChildren();
    try {
      fields = new CardFields(
        Flex,
        ses.captureContext,
        { number, cvv: securityCode },
        { number: t('number'), cvv: t('cvv') },
        fieldStyles(root),
        {
          change: (name, st) => {
            const errors = { ...c.s.errors };
            if (st.valid || st.empty) delete errors[name];
            set(name === 'number' ? { errors, brands: st.brands } : { errors });
            changed();
          },
          blur: (name) => c.judge(name),
          ready: () => {
            if (g !== gen) return;
            set({ fieldsReady: true, phase: c.s.phase === 'loading' ? 'ready' : c.s.phase });
            if (reenter) {
              set({ notice: { key: 'reenter', info: true } });
              say(t('reenter'));
            }
            if (!readied && c.s.item) {
              readied = true;
              host.emit('ready', {
                item: c.s.item,
                savedCards: c.s.methods.length,
                testMode: !!c.s.testMode,
              });
            }
          },
          error: (e) =>
            tokenProblem(e) === 'expired'
              ? void c.renew(true)
              : report(
                  'error',
                  { key: 'loadFailed', action: 'restart' },
                  'microform_error',
                  e.reason,
                ),
          submit: () => void c.pay(),
        },
      );
    } catch {
      broken('microform_error');
    }
  };

  const send = async (req: PaymentRequest, key: string = crypto.randomUUID()) => {
    const g = gen;
    attempt = { req, key };
    set({ phase: 'paying', notice: undefined });
    const a = await postPayment(c.opts.endpoint, req, key);
    if (g !== gen) return;
    const f = 'kind' in a ? a : undefined;
    const result = 'kind' in a ? undefined : parsePaymentResult(a.body);
    if (f?.kind === 'declined' || f?.kind === 'http' || result) attempt = undefined;
    if (result) {
      stop();
      set({ phase: 'success', result });
      say(c.receipt());
      focus('.cc-done');
      host.emit('success', result);
    } else if (f?.kind === 'declined') {
      const key = declineMessage(f.reason);
      if (key === 'cvvDeclined') set({ errors: { ...c.s.errors, cvv: 'cvvInvalid' } });
      report('declined', { key }, 'card_declined', f.reason);
    } else if (f?.kind === 'rate_limited') {
      report(
        'ready',
        { key: 'rateLimited', params: { seconds: f.retryAfter }, action: 'retry' },
        'rate_limited',
      );
    } else if (f?.kind === 'http') {
      report('ready', { key: 'failed' }, f.code || `http_${f.status}`, undefined, f.message);
    } else {
      // 202, 5xx, a lost connection, or a 201 we cannot read: the money may have moved.
      report('unknown', { key: 'unknown', info: true, action: 'retry' }, 'payment_outcome_unknown');
    }
  };

  const initial: State = {
    phase: 'loading',
    methods: [],
    selected: 'new',
    save: !!options.saveCard,
    errors: {},
    brands: [],
    announcement: '',
  };
  const c = {
    s: initial,
    locale: EN,
    opts: options,
    set,

    /** A unique id, so two widgets on one page never share ids or radio groups. */
    id: (name: string) => `${uid}-${name}`,

    /** Minor units: the catalog's, or for custom items the option's or the shopper's. */
    amount(): number | undefined {
      const it = c.s.item;
      // Until the amount input exists, the catalog's amount is its starting value.
      const typed = root.querySelector('[name=amount]') && parseAmount(value('amount'));
      return it?.custom ? (c.opts.amount ?? (typed === null ? it.amount : typed)) : it?.amount;
    },

    /** `{min, max}` of a custom amount, formatted, for the amountInvalid message. */
    bounds(): Record<string, string> {
      const it = c.s.item;
      const b = it?.custom;
      return b && it
        ? { min: c.locale.money(b.min, it.currency), max: c.locale.money(b.max, it.currency) }
        : {};
    },

    canPay: () =>
      (c.s.phase === 'ready' || c.s.phase === 'declined') &&
      (c.s.selected !== 'new' || !!c.s.fieldsReady),

    async start(): Promise<void> {
      const g = ++gen;
      stop();
      readied = false;
      set({
        phase: 'loading',
        notice: undefined,
        result: undefined,
        errors: {},
        fieldsReady: false,
      });
      const { endpoint, item, amount } = c.opts;
      const [locale, catalog, saved] = await Promise.all([
        loadLocale(c.opts.locale),
        call(endpoint, 'GET', '/api/catalog'),
        call(endpoint, 'GET', '/api/payment-methods'),
      ]);
      if (g !== gen) return;
      c.locale = locale;
      if (catalog?.status !== 200) return broken('load_failed');
      const it = parseCatalogItem(catalog.body, item);
      const b = it?.custom;
      if (!it) return host.misconfigured('item', `"${item}" is not in the catalog`);
      if (b && amount && (amount < b.min || amount > b.max))
        return host.misconfigured('amount', `must be ${b.min} to ${b.max}`);
      const methods = saved?.status === 200 ? parsePaymentMethods(saved.body) : [];
      const def = methods.find((m) => m.isDefault) ?? methods[0];
      set({ item: it, methods, selected: def?.id ?? 'new', save: !!it.interval || c.s.save });
      await open(g, false);
    },

    /**
     * Form-level input handler: formats the expiry and clears the field's error. Checkboxes and
     * radios are controlled and fire `input` before `change`: a render here would undo the click.
     */
    input(el: EventTarget | null): void {
      if (!(el instanceof HTMLInputElement) || /^(checkbox|radio)$/.test(el.type)) return;
      if (el.name === 'expiry') el.value = formatExpiry(el.value);
      const errors = { ...c.s.errors };
      const f = FIELD_ORDER.find((n) => n === el.name);
      if (f) delete errors[f];
      set({ errors });
    },

    /** On blur only a field with something in it is judged, so tabbing through stays quiet. */
    judge(name: string): void {
      const f = FIELD_ORDER.find((n) => n === name);
      if (!f) return;
      const err = (isCard(f) ? fieldState(f)?.empty : !value(f)) ? undefined : problem(f);
      if (err) set({ errors: { ...c.s.errors, [f]: err } });
      if (!isCard(f)) changed();
    },

    focusField(name: FieldName): void {
      if (isCard(name)) fields?.focus(name);
      else focus(`[name=${name}]`);
    },

    /** The pay button or Enter: a new attempt, so a new Idempotency-Key. */
    async pay(): Promise<void> {
      const it = c.s.item;
      const ses = session;
      const fs = fields;
      if (!c.canPay() || !it || !ses || !fs) return;
      const amount = c.amount();
      const item = it.custom ? { id: it.id, amount } : { id: it.id };
      const card = c.s.selected === 'new';
      const bad = invalid(card);
      if (bad.length) return showInvalid(bad);
      if (!card) return send({ paymentMethodId: c.s.selected, item });
      const exp = checkExpiry(value('expiry'));
      if (typeof exp === 'string') return;
      set({ phase: 'paying', notice: undefined });
      const out = await fs.token(exp.month, exp.year);
      if (fields !== fs) return;
      if ('error' in out) {
        const p = tokenProblem(out.error);
        if (p === 'expired') return c.renew(true);
        if (Array.isArray(p)) return showInvalid(p);
        return report(
          'ready',
          { key: p === 'network' ? 'network' : 'failed' },
          'microform_error',
          out.error.reason,
        );
      }
      const name = value('name');
      const region = value('region');
      return send({
        sessionId: ses.sessionId,
        transientToken: out.token,
        item,
        savePaymentMethod: c.s.save,
        email: value('email'),
        ...(ses.requireBillingAddress && {
          billTo: {
            // CyberSource wants first and last name apart; the last word is the last name.
            firstName: name.replace(/\s+\S+$/, ''),
            lastName: name.replace(/^.*\s/, ''),
            address1: value('address1'),
            locality: value('locality'),
            postalCode: value('postalCode'),
            country: value('country').toUpperCase(),
            ...(region && { administrativeArea: region }),
          },
        }),
      });
    },

    /** Resends the last attempt with its own key: the stub answers with the first outcome. */
    retry: () => (attempt && c.s.phase !== 'paying' ? send(attempt.req, attempt.key) : undefined),

    /**
     * A new capture context before the old one expires (at 13 of its 15 minutes), or right
     * after Microform said it had (`expired`): then the card must be typed again.
     */
    async renew(expired?: boolean): Promise<void> {
      if (c.s.phase === 'paying' && !expired) {
        timer = setTimeout(() => void c.renew(), 5000);
        return;
      }
      const g = gen;
      set({ fieldsReady: false });
      await open(g, true);
      if (expired && g === gen && c.s.phase === 'paying') set({ phase: 'ready' });
    },

    /** "Payment successful. $12.00 paid with Visa ending 4242." */
    receipt(): string {
      const p = c.s.result?.payment;
      const card = p?.card && t('ending', { brand: brandName(p.card.brand), last4: p.card.last4 });
      return p && card
        ? `${t('success')} ${t('receipt', { amount: c.locale.money(p.amount, p.currency), card })}`
        : t('success');
    },

    select(id: string): void {
      set({ selected: id, confirmRemove: undefined, errors: {} });
      changed();
    },

    askRemove(id?: string): void {
      const was = c.s.confirmRemove;
      set({ confirmRemove: id });
      focus(id ? '[data-cc-confirm]' : `[data-cc-remove="${was}"]`);
    },

    /** DELETE (`remove`) or PUT default on a saved card; the list is updated locally on success. */
    async manage(id: string, remove?: boolean): Promise<void> {
      const a = await call(
        c.opts.endpoint,
        remove ? 'DELETE' : 'PUT',
        `/api/payment-methods/${encodeURIComponent(id)}${remove ? '' : '/default'}`,
      );
      if (!a || a.status > 299) {
        set({ confirmRemove: undefined, notice: { key: 'failed' } });
        return say(t('failed'));
      }
      const methods = remove
        ? c.s.methods.filter((m) => m.id !== id)
        : c.s.methods.map((m) => ({ ...m, isDefault: m.id === id }));
      const selected =
        remove && c.s.selected === id
          ? (methods.find((m) => m.isDefault)?.id ?? 'new')
          : c.s.selected;
      set({ methods, selected, confirmRemove: undefined, notice: undefined });
      say(t(remove ? 'removed' : 'defaultSet'));
      if (remove) focus('.cc-saved input:checked');
    },

    /** New options from `handle.update()`: a new endpoint, item or locale starts over. */
    update(next: CheckoutOptions): void {
      const old = c.opts;
      c.opts = next;
      if (next.endpoint !== old.endpoint || next.item !== old.item || next.locale !== old.locale)
        void c.start();
      else host.render();
    },

    destroy(): void {
      gen++;
      stop();
    },
  };
  return c;
}
