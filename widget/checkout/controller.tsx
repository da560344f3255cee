/**
 * @module One checkout: its state, its behaviour (the item, session and saved cards, the
 * Microform fields and their lifetime, validation, paying, saved-card management, events) and
 * its view, a pure function of the state re-rendered whole on every change.
 *
 * One closure, with the state in local variables and the view beside the logic, because the
 * minifier shortens every local name but no property name: this layout is what keeps the widget
 * within its 12 KB budget (issue 5). Nothing here keeps state outside these variables; the view
 * parts are plain functions (no components, no hooks).
 */
import { render } from 'preact';
import { type Answer, call, errorOf } from '../api/client.ts';
import {
  parseCatalogItem,
  parsePaymentMethods,
  parsePaymentResult,
  parseSession,
} from '../api/parse.ts';
import type { CatalogItem, PaymentMethod, PaymentRequest, PaymentResult } from '../api/types.ts';
import { type EventName, fire } from '../events.ts';
import { en, type MessageKey } from '../i18n/en.ts';
import { EN, loadLocale } from '../i18n/locale.ts';
import { libraryOf } from '../microform/capture-context.ts';
import { fieldStyles } from '../microform/field-styles.ts';
import {
  type FieldState,
  type Microform,
  type MicroformField,
  parseChange,
  parseMicroformError,
} from '../microform/flex-types.ts';
import { isAllowedLibrary } from '../microform/library-origin.ts';
import { loadFlex } from '../microform/loader.ts';
import type { CheckoutOptions } from '../options.ts';
import { injectStyles } from '../styles.ts';
import { brandIcon } from '../ui/brand-icon.tsx';
import { showMisconfigured } from '../ui/misconfigured.tsx';
import { brandName } from '../ui/networks.ts';
import { declineMessage, tokenProblem } from './reasons.ts';
import { checkExpiry, formatExpiry, isEmail, parseAmount } from './validate.ts';

/** Renew the capture context this long before it expires (it lives 15 min: API-FACTS §5.2). */
export const REFRESH_LEAD_MS = 120_000;
/** Never renew sooner than this after new fields, whatever the lifetime says: never a loop. */
export const REFRESH_MIN_MS = 10_000;

/** A decline leaves the form `ready` to try again; `unknown` keeps the pay button off. */
export type Phase = 'loading' | 'ready' | 'paying' | 'success' | 'unknown' | 'error';
/** The Microform fields. */
export type CardField = 'number' | 'cvv';
/** Our own inputs (uncontrolled: read from the form when needed). */
export type TextField =
  | 'amount'
  | 'expiry'
  | 'name'
  | 'email'
  | 'address1'
  | 'locality'
  | 'postalCode'
  | 'region'
  | 'country';
export type FieldName = CardField | TextField;
type Params = Record<string, string | number>;
type Inputs = {
  type?: 'email';
  autocomplete?: string;
  inputMode?: 'numeric' | 'decimal' | 'email';
  placeholder?: string;
  maxLength?: number;
  defaultValue?: string | undefined;
};

/** Document order: focus goes to the first invalid one. */
const FIELDS = (
  'amount number expiry cvv name email address1 locality postalCode region country' as const
).split(' ') as FieldName[];
/** One of our fields by name (radios and the checkbox are not). */
const field = (name: string) => FIELDS.find((n) => n === name);
const isCard = (n: string): n is CardField => n === 'number' || n === 'cvv';
/** Our field for a request field a refusal names by another name (the rest are ours as named). */
const NAMED: Record<string, FieldName> = {
  administrativeArea: 'region',
  firstName: 'name',
  lastName: 'name',
  securityCode: 'cvv',
  expirationMonth: 'expiry',
  expirationYear: 'expiry',
};
const EMPTY: FieldState = { empty: true, valid: false, brands: [] };

declare global {
  interface Window {
    /** Checkouts mounted on this page, by every copy of the bundle (two script tags: two copies). */
    CyberCheckoutIds?: number;
    /** The last session asked for on this page, by any checkout (`session`). */
    CyberCheckoutSession?: Promise<Answer | undefined>;
  }
}

export interface Checkout {
  start(): Promise<void>;
  /** New options from `handle.update()`: a new endpoint starts over, a new item or language keeps the fields. */
  update(next: CheckoutOptions): void;
  destroy(): void;
  /** A payment in flight or unconfirmed: its form must stay to show the outcome. */
  busy(): boolean;
  /** The payment request awaiting its answer, if one is: `unmount` waits for it (mount.tsx). */
  sending(): Promise<unknown> | undefined;
}

/**
 * A checkout in `root`. `names` turns an option into what the merchant wrote (`item` →
 * `data-item`), for mistakes found in the catalog. Events go to the option callbacks and, as
 * bubbling `checkout:*` CustomEvents, to `root`.
 */
export function createCheckout(
  root: HTMLElement,
  options: CheckoutOptions,
  names: (key: string) => string,
): Checkout {
  /**
   * Prefix of every id, so two widgets on one page never share ids or radio groups. Counted on
   * `window`, not in this module: each script tag runs its own copy of it.
   */
  const n = (window.CyberCheckoutIds ?? 0) + 1;
  window.CyberCheckoutIds = n;
  const uid = `cc${n}-`;

  // The state.
  let opts = options;
  let locale = EN;
  let phase: Phase = 'loading';
  let item: CatalogItem | undefined;
  /** `{min, max}` of a custom item, formatted. */
  let limits: Params | undefined;
  let methods: PaymentMethod[] = [];
  /** The endpoint whose list `methods` is; unset while none could be read (said, read again). */
  let listed: string | undefined;
  /** `new`, or the id of a saved payment method. */
  let selected = 'new';
  let confirmRemove: string | undefined;
  let save = !!opts.saveCard;
  /** The message key of each invalid field. */
  let errors: Partial<Record<FieldName, MessageKey>> = {};
  /** Networks detected in the number field (co-badged: several). */
  let brands: string[] = [];
  /** The message above the pay button (in place of the form in phase `error`). */
  let notice: [MessageKey, (Params | undefined)?] | undefined;
  let result: PaymentResult | undefined;
  /** Text of the one persistent live region. */
  let said = '';
  /**
   * The pay button is held down. A field left for it is not judged then: its error line would
   * push the button from under the pointer before the click (lost click); Pay judges them all.
   */
  let pressing = 0;
  let testMode = false;
  let billing = false;
  let sessionId = '';
  /** The Microform instance of the current capture context, its fields, their last `change`. */
  let form: Microform | undefined;
  let fields: Partial<Record<CardField, MicroformField>> = {};
  /**
   * The theme (option and OS scheme) of the last draw: `draw` restyles the iframes when it
   * changes. Fields are made after a draw, with that theme's styles.
   */
  let styled = '';
  /** The payment request awaiting its answer (`sending`, for `unmount`). */
  let sent: Promise<unknown> | undefined;
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  let states = { number: EMPTY, cvv: EMPTY };
  /** The description last given to each field (`draw`). */
  let told: Partial<Record<CardField, string>> = {};
  /** Fields loaded; both (2) make the card form ready. */
  let loaded = 0;
  /** Field errors that renewed the fields since they last loaded: a second is reported instead. */
  let stuck = 0;
  /** The form whose field error was answered (renewed or reported): its other field's is the same. */
  let failed: unknown;
  /** The attempt in flight or last answered ambiguously, with its Idempotency-Key. */
  let attempt: [PaymentRequest, string] | undefined;
  /** Sessions the stub did not find: the first is renewed, a second is a failure. */
  let lost = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** A language change waiting for a payment's outcome (`relang`). */
  let later: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by start/destroy: answers to stale requests are dropped. */
  let gen = 0;
  let readied = false;
  /** Not started yet, destroyed or misconfigured: nothing renders until `start`. */
  let dead = true;
  /** Options given by `update()` while a payment was in flight or unconfirmed, applied after. */
  let held: CheckoutOptions | undefined;

  /**
   * A payment in flight or being confirmed (its "Check again" to come): a restart or a reload
   * would lose its outcome. Not "under review" or "an earlier payment in progress": nothing more
   * comes to this form for those, so updates apply.
   */
  const busy = () => !dead && (phase === 'paying' || notice?.[0] === 'unknown');
  /** Asks before the page is left while a payment runs or is being confirmed. */
  const guard = (e: BeforeUnloadEvent) => {
    e.preventDefault();
    // Browsers before preventDefault() was honoured here (Chrome < 119) ask when this is set.
    e.returnValue = true;
  };
  /**
   * Renders, and keeps what depends on `busy()` in step: the leave-page guard (only while a
   * payment is in flight or "confirming"), and an `update()` held back until its outcome is known.
   */
  const draw = () => {
    // Where the element is now: mounted before a web component put it in its shadow root, the
    // style went into <head>, which does not reach it (once per root: a lookup otherwise).
    injectStyles(root, opts.nonce);
    window[busy() ? 'addEventListener' : 'removeEventListener']('beforeunload', guard);
    const h = held;
    if (h && !busy()) {
      held = undefined;
      // Paid: the receipt stays, the new options apply from the next update (which starts over
      // for any item but the one paid, the held one too). Else they apply now, under the
      // outcome's notice (its "Try again" pays the form as it is then).
      if (phase === 'success') opts = { ...h, item: opts.item };
      else update(h, true);
    }
    // A Microform field's error is its input's description (our own message cannot be pointed
    // at from inside the iframe), so focus there reads it, like aria-describedby on our inputs;
    // its label follows the language, which a language change keeps the fields for (`update`).
    for (const n of ['number', 'cvv'] as const) {
      const f = fields[n];
      const d = errors[n] ? t(errors[n]) : '';
      const l = t(n);
      // The frame is named too (Microform titles it in English, "Secure card number input
      // frame"), which a screen reader says on entering it.
      const frame = root.querySelector(
        `[data-cc-field=${n === 'cvv' ? 'securityCode' : n}] iframe`,
      );
      if (frame) frame.setAttribute('title', l);
      if (f && d + l !== told[n]) {
        told[n] = d + l;
        // `update` is [inferred] from MF011 (API-FACTS §5): absent, the field keeps no description
        // and the label it was made with.
        f.update?.({ description: d, 'aria-label': l });
      }
    }
    // The OS switching an "auto" theme at dusk redraws too (below restyles the fields).
    scheme[dead ? 'removeEventListener' : 'addEventListener']('change', draw);
    if (dead) return;
    render(view(), root);
    // The iframe fields get the theme as values, not CSS (`field-styles.ts`): a new one, from
    // `update()` or the OS, is sent to them, or their text keeps the old theme's colour. Keyed
    // on the theme, so a keystroke's redraw reads no computed style.
    const look = opts.theme + String(scheme.matches);
    if (look !== styled) {
      styled = look;
      const s = fieldStyles(root);
      for (const f of Object.values(fields)) f.update?.({ styles: s });
    }
  };
  /** Without `params`, a message gets the custom item's bounds, formatted (`amountInvalid`). */
  const t = (key: MessageKey, params = limits) => locale.t(key, params);
  const money = (minor: number, currency = item?.currency ?? '') => locale.money(minor, currency);
  /** Minor units as the locale writes a plain amount ("10,00" in de), as parseAmount reads it. */
  const decimal = (minor: number) =>
    (minor / 100).toLocaleString(locale.tag, { minimumFractionDigits: 2 });
  /** "3 months", "10 minutes": Intl's unit names, in every language. */
  const units = (unit: string, n: number) =>
    new Intl.NumberFormat(locale.tag, { style: 'unit', unit, unitDisplay: 'long' }).format(n);
  /**
   * A 429's wait as a shopper reads it: seconds, whole minutes, or from 60 minutes whole hours
   * (3,599 s is "1 hour", not "60 minutes").
   */
  const wait = (s: number, m = Math.ceil(s / 60)) => ({
    wait:
      s < 60
        ? units('second', s)
        : m < 60
          ? units('minute', m)
          : units('hour', Math.ceil(s / 3600)),
  });
  /** Says `text` in the live region (and renders); a toggled trailing space repeats a message. */
  const say = (text: string) => {
    said = said === text ? `${text}\u00a0` : text;
    draw();
  };
  /** Focus after a render that removed the focused control (the pay button disables while paying). */
  const focus = (selector: string) => root.querySelector<HTMLElement>(selector)?.focus();
  /** Our inputs are uncontrolled: their values live in the DOM until they are needed. */
  const input = (name: string) => root.querySelector<HTMLInputElement>(`[name=${name}]`);
  const value = (name: string) => input(name)?.value.trim() ?? '';
  const northAmerica = () => /^(us|ca)$/i.test(value('country'));
  /** A state or province code and a postal code: required for a US or Canadian address only. */
  const optional = (name: string) => /^(region|postalCode)$/.test(name) && !northAmerica();
  const stop = () => {
    clearTimeout(timer);
    for (const f of Object.values(fields)) f.dispose?.();
    form = undefined;
    fields = {};
    told = {};
    states = { number: EMPTY, cvv: EMPTY };
    loaded = 0;
  };
  /** `Ready` → `onReady` and `checkout:ready`. */
  const emit = (name: EventName, detail: unknown) => fire(root, opts, name, detail);

  /** Shows a notice, says it, focuses it and emits `error`. */
  const report = (
    p: Phase,
    key: MessageKey,
    code: string,
    params?: Params,
    reason?: string,
    message?: string,
  ) => {
    if (p === 'error') stop();
    phase = p;
    notice = [key, params];
    const text = t(key, params);
    say(text);
    // From inside the widget only (or from nowhere): a load failure must not pull the shopper's
    // typing out of another field of the page (WCAG 3.2.2); the live region says it anyway. In
    // a shadow root the page sees its host focused; the root, what inside it is (or nothing).
    const doc = root.ownerDocument;
    const at = doc.activeElement;
    (!at || at === doc.body || root.contains((root.getRootNode() as Document).activeElement)) &&
      focus('.cc-notice');
    emit('Error', { code, message: message || text, ...(reason && { reason }) });
  };
  /** Not loaded; `checkout_disabled` (the merchant closed checkout) is said as such. */
  const broken = (
    code: string,
    key: MessageKey = code === 'checkout_disabled' ? 'closed' : 'loadFailed',
    params?: Params,
  ) => report('error', key, code, params);
  /** A merchant mistake found in the catalog: logged by option name, shown in place of the form. */
  const misconfigured = (key: string, message: string) => {
    destroy();
    showMisconfigured(root, names(key), message, opts);
  };
  /**
   * A fixed amount outside the item's bounds, or for an item with a fixed price (it would be
   * silently ignored: the stub charges the catalog's), is one, at start and on `update`.
   */
  const badAmount = () => {
    const b = item?.custom;
    const a = opts.amount;
    const bad = !!item && !!a && (!b || a < b.min || a > b.max);
    if (bad)
      misconfigured(
        'amount',
        b ? `must be ${b.min} to ${b.max}` : 'is only for custom-amount items',
      );
    return bad;
  };
  /** Once per start: the item with the amount the shopper is offered, not the catalog's. */
  const ready = () => {
    readied = true;
    emit('Ready', { item: { ...item, amount: amount() }, savedCards: methods.length, testMode });
    // A page language set while loading (a framework hydrating) is followed now (`relang`).
    relang();
  };

  const changed = () => {
    const saved = selected !== 'new';
    emit('Change', {
      paymentMethod: saved ? 'saved' : 'new',
      // A field shown wrong is not complete, though our own view of it looks fine: a security
      // code the issuer refused, a field the stub refused, until the shopper changes it.
      complete: !invalid(!saved).length && !Object.keys(errors).length,
      brands: saved ? [] : brands,
      savedCards: methods,
    });
  };

  /** Minor units: the catalog's, or for custom items the option's or the shopper's. */
  const amount = () => {
    const el = input('amount');
    // Until the amount input exists, the catalog's amount is its starting value.
    return item?.custom
      ? (opts.amount ?? (el ? parseAmount(el.value.trim(), locale.tag) : item.amount))
      : item?.amount;
  };

  /** What is wrong with a field; nothing for a field that is not on the form. */
  const problem = (name: FieldName): MessageKey | undefined => {
    if (isCard(name)) {
      const st = states[name];
      return st.empty ? 'required' : st.valid ? undefined : `${name}Invalid`;
    }
    const v = input(name)?.value.trim();
    // CyberSource refuses a US or Canadian address without them (API-FACTS §2.2).
    if (v === undefined || optional(name)) return undefined;
    if (name === 'amount') {
      const b = item?.custom;
      const a = amount();
      // Typed, but not an amount in this locale ("1,234.56" on a German page): the bounds would
      // not say what is wrong.
      return b && a && a >= b.min && a <= b.max
        ? undefined
        : v && a === undefined
          ? 'amountFormat'
          : 'amountInvalid';
    }
    if (name === 'expiry') {
      const e = checkExpiry(v);
      return typeof e === 'string' ? e : undefined;
    }
    // A full name ("Illinois", "USA") is not missing: it needs its code (API-FACTS §2.2). A
    // postal code (asked for the US and Canada only) as CyberSource documents it for the
    // country: a ZIP code in the US, "K1A 0B1" in Canada (the stub adds the space and capitals,
    // and refuses the other country's, which would only say "Something went wrong" here).
    return !v
      ? 'required'
      : (name === 'country' || name === 'region') && !/^[a-z]{2}$/i.test(v)
        ? 'codeInvalid'
        : name === 'email' && !isEmail(v)
          ? 'emailInvalid'
          : name === 'postalCode' &&
              !(
                /^us$/i.test(value('country')) ? /^\d{5}(-\d{4})?$/ : /^[a-z]\d[a-z] ?\d[a-z]\d$/i
              ).test(v)
            ? 'postalInvalid'
            : undefined;
  };

  /** Invalid fields in document order; `card`: the new-card fields count too. */
  const invalid = (card: boolean) => FIELDS.filter((n) => (card || n === 'amount') && problem(n));

  /**
   * `names` is never empty. Fields Microform or the stub rejected while our view of them looked
   * fine get their verdict: the field's own "check" message, or a general one.
   */
  const showInvalid = (names: FieldName[]) => {
    for (const n of names)
      errors[n] = problem(n) ?? (`${n}Invalid` in en ? (`${n}Invalid` as MessageKey) : 'check');
    if (phase === 'paying') phase = 'ready';
    const first = names[0] as FieldName;
    changed();
    say(t('fixErrors', { first: fieldError(first, errors[first] as MessageKey) }));
    isCard(first) ? fields[first]?.focus() : focus(`[name=${first}]`);
  };

  /**
   * Empty body: the stub's SessionBody is a strict empty object (server-stub/http/schemas.ts).
   * One at a time on the page, whichever checkout asks: on a first visit there is no shopper
   * cookie yet, and two asking at once would each be made a new shopper, of whom the browser
   * keeps one; the other's session would be refused on Pay (`session_not_found`) until a reload.
   * One whose turn comes after its checkout restarted or was unmounted is not sent: a shop
   * opening and leaving its checkout page would make the next one wait for each in turn.
   */
  const session = (g = gen) =>
    (window.CyberCheckoutSession = (window.CyberCheckoutSession ?? Promise.resolve()).then(() =>
      g === gen
        ? call(opts.endpoint, 'POST', '/api/checkout/sessions', {}, crypto.randomUUID())
        : undefined,
    ));
  /**
   * A new session (or the one `start` asked for already), the library, and fresh fields into the
   * containers the view rendered. `renewal` 1 or 2: the shopper may have typed into the old ones,
   * and is asked to type them again; 2, renewed under a Pay, also takes focus to the number.
   */
  const open = async (g: number, renewal: 0 | 1 | 2, asked: ReturnType<typeof session>) => {
    const a = await asked;
    if (g !== gen) return;
    if (a?.status === 429) return broken('rate_limited', 'rateLimited', wait(a.wait));
    const ses = a && a.status < 300 ? parseSession(a.body) : undefined;
    const lib = ses && libraryOf(ses.captureContext);
    if (!ses || !lib) return broken(errorOf(a).code || 'load_failed');
    const src = lib.clientLibrary;
    if (!isAllowedLibrary(src, ses)) {
      console.error(`CyberCheckout: refused Microform from ${src}`);
      return broken('library_refused');
    }
    const Flex = await loadFlex(src, lib.clientLibraryIntegrity);
    if (g !== gen) return;
    if (!Flex) return broken('load_failed');
    const reenter = renewal && !(states.number.empty && states.cvv.empty);
    // Typing in a card field (its iframe has the focus): the new fields take it back, or the
    // shopper's next keys would go nowhere (the old iframe is removed under them).
    const at = (root.getRootNode() as Document).activeElement;
    const typing = renewal && at?.tagName === 'IFRAME' && root.contains(at);
    stop();
    sessionId = ses.sessionId;
    billing = ses.requireBillingAddress;
    testMode = ses.environment !== 'production' || src.startsWith('https://testflex.');
    brands = [];
    draw();
    try {
      const my = new Flex(ses.captureContext).microform({ styles: fieldStyles(root) });
      form = my;
      for (const name of ['number', 'cvv'] as const) {
        const type = name === 'cvv' ? 'securityCode' : name;
        const box = root.querySelector(`[data-cc-field=${type}]`) as HTMLElement;
        // Old iframes belong to the old context; Microform adds new ones (preact never owns them).
        box.replaceChildren();
        const f = my.createField(type, {
          placeholder: name === 'cvv' ? '•••' : '1234 1234 1234 1234',
          'aria-label': t(name),
          'aria-required': true,
        });
        fields[name] = f;
        // Events from disposed fields (a renewed context) must not reach the new form.
        const on = (event: string, fn: (d: unknown) => void) =>
          f.on(event, (d) => form === my && fn(d));
        on('change', (d) => {
          const st = parseChange(d);
          states[name] = st;
          if (st.valid || st.empty) delete errors[name];
          if (name === 'number') brands = st.brands;
          draw();
          changed();
        });
        on('blur', () => pressing || judge(name));
        on('load', () => {
          stuck = 0;
          if (++loaded < 2) return;
          if (phase === 'loading') phase = 'ready';
          // Only on a form to type into: never over "confirming your payment" or a receipt.
          const again = reenter && phase === 'ready';
          if (again) notice = ['reenter'];
          again ? say(t('reenter')) : draw();
          // Renewed under a Pay (`expired`): the shopper is taken to the field to type again.
          ((again && renewal > 1) || typing) && fields.number?.focus();
          readied || ready();
        });
        on('error', (d) => {
          // One answer per form: both of its fields report a refused context.
          if (failed === my) return;
          failed = my;
          const e = parseMicroformError(d);
          // Renewed once; the same error from the new fields would renew for good (the stub
          // may hand back the same unpaid session), so then it is reported.
          tokenProblem(e) === 'expired' && !stuck++
            ? renew(true)
            : report('error', 'loadFailed', 'microform_error', undefined, e.reason);
        });
        on('inputSubmitRequest', pay);
        f.load(box);
      }
    } catch {
      broken('microform_error');
    }
    // The context's own lifetime, counted from now (its iat and exp are the issuer's clock);
    // `expiresAt` against the shopper's clock only if the JWT has no times. What the stub says
    // is left, if less: a resumed session's context is part-spent. Either way at least
    // REFRESH_MIN_MS: a clock set wrong must not make this a renewal loop.
    const life = Math.min(
      lib.life > 0 ? lib.life : ses.expiresAt - Date.now(),
      ses.expiresIn * 1e3,
    );
    timer = setTimeout(renew, Math.max(life - REFRESH_LEAD_MS, life / 2, REFRESH_MIN_MS));
  };

  /**
   * A new capture context before the old one expires (at 13 of its 15 minutes), or right after
   * Microform said it had (`expired`): then the card must be typed again. Not while a payment is
   * in flight or its outcome unknown: the notice and its "Check again" stay until it is answered.
   */
  const renew = async (expired?: boolean, delay = REFRESH_MIN_MS) => {
    if (busy() && !expired) {
      timer = setTimeout(renew, 5000);
      return;
    }
    // Its element off the page (removed without unmount(), or a modal's content kept aside):
    // no session for nobody (each is one of the shopper's 10 per 10 minutes). Looked at again
    // each minute, so a form put back renews then, or at Pay (an expired context renews too).
    if (!root.isConnected && !expired) {
      timer = setTimeout(renew, 60_000);
      return;
    }
    const g = gen;
    const had = loaded;
    const my = form;
    // No Pay while the next session is asked for: its answer replaces these fields.
    loaded = 0;
    draw();
    const asked = session();
    // Fields gone meanwhile (paid with a saved card: `stop`), nothing is renewed, expired or not.
    const a = await asked;
    if (g !== gen || form !== my) return;
    // Ahead of time, a failure to get the next session (offline a moment, the stub restarting)
    // keeps the fields: they pay until their context expires, and then Microform says so at Pay,
    // which renews. Asked again meanwhile, each wait twice the last (a 429 says how long).
    if (!expired) {
      if (!(a && a.status < 300 && parseSession(a.body))) {
        loaded = had;
        draw();
        timer = setTimeout(
          () => renew(false, Math.min(delay * 2, 300_000)),
          a?.status === 429 ? a.wait * 1e3 : delay,
        );
        return;
      }
    }
    await open(g, expired ? 2 : 1, asked);
    if (expired && g === gen && phase === 'paying') {
      phase = 'ready';
      draw();
    }
  };

  /**
   * `keep`: the notice stays (an outcome said while an `update()` waited for it). `same`: only
   * the item or the language changed, so the loaded fields and their session stay (a new capture
   * context per change would spend the shopper's session allowance, 10 per 10 minutes, browsing
   * the shop).
   */
  const start = async (keep?: boolean, same?: boolean) => {
    const g = ++gen;
    // Once, not at each restart: at the first start, and again after `destroy` disconnected it
    // (a misconfiguration fixed by `update()` starts the same checkout again).
    dead && watch.observe(document.documentElement, { attributeFilter: ['lang'] });
    const reuse = same && loaded > 1;
    reuse || stop();
    dead = readied = false;
    phase = 'loading';
    result = undefined;
    // Nothing said stays to be read in another language, or of another item.
    if (!keep) {
      notice = undefined;
      said = '';
    }
    errors = {};
    draw();
    const { endpoint, item: id } = opts;
    // The session is asked for with the catalog and the saved cards, not after them: a returning
    // shopper's cards are a CyberSource call (TMS) and the session two more, so one round trip
    // sooner. The stub sets its shopper cookie on the session only, never on these reads, so
    // the cookie the session answers with is the one every later request sends.
    const asked = !reuse && session();
    const [l, catalog, saved] = await Promise.all([
      loadLocale(opts.locale),
      call(endpoint, 'GET', '/api/catalog'),
      readCards(),
    ]);
    if (g !== gen) return;
    // An amount typed, rewritten below as the new language writes it ("1,000.00" in en is
    // "1.000,00" in de), or the field would read it wrong and the price would go. It stays
    // typed when the item changes too. (Each load is a new locale object: compared by tag.)
    const typed = l.tag !== locale.tag && input('amount') ? amount() : undefined;
    locale = l;
    // `checkout_disabled` and the like reach onError as themselves.
    if (catalog?.status !== 200) return broken(errorOf(catalog).code || 'load_failed');
    const it = parseCatalogItem(catalog.body, id);
    if (!it) return misconfigured('item', `"${id}" is not in the catalog`);
    const was = item?.id;
    item = it;
    if (badAmount()) return;
    const b = it.custom;
    // The format hint's example written as this locale writes amounts, as the field does
    // ("12.50" in es-MX, "12,50" in es-ES), never one fixed per language.
    limits = b && { min: money(b.min), max: money(b.max), ex: decimal(1250) };
    const known = listed;
    list(saved);
    // A language or item change keeps what the shopper chose: the card (a new one being typed,
    // or a saved one still listed), and "save this card" while the item is the same. Else the
    // default card (also when the list is read at last, no new card typed yet), and the
    // merchant's choice for a one-time item; always on for a plan.
    if (
      !reuse ||
      (!known && states.number.empty) ||
      (selected !== 'new' && !methods.some((m) => m.id === selected))
    )
      selected = (methods.find((m) => m.isDefault) ?? methods[0])?.id ?? 'new';
    if (!reuse || was !== it.id) save = !!opts.saveCard || !!it.interval;
    if (reuse) {
      phase = 'ready';
      ready();
      // The shopper's cards for the merchant, now there is a list.
      listed && !known && changed();
    }
    const typedIn = input('amount');
    if (typedIn && typed) typedIn.value = decimal(typed);
    draw();
    asked && (await open(g, 0, asked));
  };

  /**
   * The page's language, followed while no `locale` option names one (a site's own language
   * switcher sets `<html lang>`), as `update({locale})` is: the fields kept. Never over a receipt
   * (a new form there invites paying twice), nor by a form off the page (its reads are the
   * shopper's allowance); a payment in flight or unconfirmed is waited for, and its outcome's
   * notice kept (`keep`), as for an `update()` held meanwhile. One wait, however often the
   * language changes meanwhile, and none left once restarted: each restart reads the catalog and
   * the saved cards (the stub counts those reads per shopper). While loading, nothing: a restart
   * then asks for a second session (the shopper's allowance again), and `ready` calls this.
   * Only a change of the language the widget would speak restarts it: a framework setting `lang`
   * as it hydrates ("en" to "en-US"), a region alone, or a language without messages (English
   * either way) reads nothing again.
   */
  const relang = async (keep?: boolean) => {
    clearTimeout(later);
    // Not even the language file of a page whose locale option wins.
    if (opts.locale) return;
    // Its language, as `loadLocale` settles it: a tag's first two letters, since each language
    // the widget speaks has a two-letter code and any other is English ("en").
    const l = (await loadLocale()).tag.slice(0, 2);
    if (
      dead ||
      phase === 'success' ||
      phase === 'loading' ||
      !root.isConnected ||
      l === locale.tag.slice(0, 2)
    )
      return;
    if (busy()) later = setTimeout(relang, 5000, true);
    else start(keep, true);
  };
  const watch = new MutationObserver(() => relang());

  /**
   * `POST /api/checkout/payments` and its outcome. A 202, a 5xx (except the up-front 503
   * `checkout_disabled`), a 201 we cannot read or a lost connection means the payment may have
   * happened: "outcome unknown", to be re-asked with the same key, never re-paid with a new one
   * (RELIABILITY-FACTS §3.6).
   */
  const send = async (req: PaymentRequest, key: string = crypto.randomUUID()) => {
    const g = gen;
    attempt = [req, key];
    phase = 'paying';
    notice = undefined;
    draw();
    const answer = call(opts.endpoint, 'POST', '/api/checkout/payments', req, key);
    sent = answer;
    const a = await answer;
    sent = undefined;
    if (g !== gen) return;
    const s = a?.status ?? 0;
    const e = errorOf(a);
    // Any other answer found the session: a session lost later (the cookie cleared again) is
    // renewed again.
    if (e.code !== 'session_not_found') lost = 0;
    const r = s === 201 && parsePaymentResult(a?.body);
    // The fields of ours a refusal names (`invalid_request` from the stub, or CyberSource's
    // `gateway_invalid_request`, paths like `orderInformation.billTo.administrativeArea`):
    // nothing was charged, and the shopper is shown what to fix instead of "went wrong".
    // Only for a new card's form, and only when it names nothing else: a refusal naming a field
    // the form does not have (an account that needs the billing address the stub does not ask
    // for) is the merchant's to fix, "went wrong" with `checkout:error`, never the shopper's
    // correct name marked wrong for good.
    const ours = (f?: string) => f && FIELDS.find((n) => n === (NAMED[f] ?? f));
    const named =
      /invalid_request$/.test(e.code) &&
      req.transientToken &&
      e.fields.length &&
      e.fields.every((f) => {
        const n = ours(f);
        return n && (isCard(n) ? fields[n] : input(n));
      })
        ? FIELDS.filter((n) => e.fields.some((f) => ours(f) === n))
        : [];
    if (r) {
      stop();
      phase = 'success';
      result = r;
      say(receipt());
      focus('.cc-done');
      emit('Success', r);
    } else if (s === 429) {
      // `too_many_declines` stays itself for the merchant's handler (card testing, not traffic).
      report('ready', 'rateLimited', e.code || 'rate_limited', wait(a?.wait ?? 30));
    } else if (e.code === 'session_expired' || (e.code === 'session_not_found' && !lost++)) {
      // The stub no longer holds this session: a new one, as for an expired capture context.
      // Nothing was charged. A session not found (the shopper cookie cleared or expired, the
      // stub's store replaced) gets one new session per checkout: with the cookie not kept at
      // all, a new one would be refused the same way, again and again, so a second is a failure.
      // The new session is another shopper's (a new cookie): the cards listed were the previous
      // one's (choosing one said it was removed), so the list is that shopper's, read after it,
      // and unread until then (`list`).
      if (lost) {
        methods = [];
        listed = undefined;
      }
      await renew(true);
      if (lost && g === gen) {
        const saved = await readCards();
        if (g !== gen) return;
        list(saved);
        draw();
        changed();
      }
    } else if (e.code === 'price_changed') {
      // Nothing charged: the catalog changed since it was read. Read again with the fields
      // kept, and say why the amount on the button moved.
      report('ready', 'priceChanged', e.code);
      start(true, true);
    } else if (e.code === 'payment_method_not_found') {
      // The saved card was removed meanwhile (another tab), and the stub may have made another
      // the default: the list read again (this card off it, so Try again cannot repeat this),
      // and its default chosen, as on a first load.
      const list = await readCards();
      if (g !== gen) return;
      methods = (list ?? methods).filter((m) => m.id !== req.paymentMethodId);
      selected = (methods.find((m) => m.isDefault) ?? methods[0])?.id ?? 'new';
      report('ready', 'gone', e.code);
      changed();
    } else if (named.length) {
      showInvalid(named);
    } else if (e.code === 'card_declined') {
      const k = declineMessage(e.reason);
      // On the new card's field only: a saved card has none to type again, and a mark on the
      // hidden one kept `checkout:change` incomplete with Pay on.
      if (k === 'cvvDeclined' && req.transientToken) {
        errors.cvv = 'cvvInvalid';
        changed();
      }
      report('ready', k, 'card_declined', undefined, e.reason);
    } else if (/_(in_progress|under_review)$/.test(e.code)) {
      // An earlier payment of this shopper is unresolved (this attempt was refused and its key
      // keeps that answer), or this one is held for review: "check again" could only repeat it,
      // so no button, and Pay stays off.
      report('unknown', e.code === 'payment_in_progress' ? 'inProgress' : 'review', e.code);
    } else if (
      !s ||
      s === 201 ||
      s === 202 ||
      // `payment_outcome_unknown`; this attempt still running (`idempotency_key_in_flight`):
      // paying again could charge twice.
      /_(unknown|in_flight)$/.test(e.code) ||
      (s > 499 && e.code !== 'checkout_disabled')
    ) {
      report('unknown', 'unknown', 'payment_outcome_unknown');
    } else {
      report(
        'ready',
        e.code === 'amount_not_allowed'
          ? 'amountInvalid'
          : e.code === 'already_subscribed'
            ? 'subscribed'
            : // 402: the stub voided it, or it was never processed: not charged, not declined.
              e.code === 'payment_canceled'
              ? 'canceled'
              : e.code === 'checkout_disabled'
                ? 'closed'
                : 'failed',
        e.code || `http_${s}`,
        undefined,
        undefined,
        e.message,
      );
    }
  };

  const canPay = () => phase === 'ready' && (selected !== 'new' || loaded > 1);

  /** The pay button or Enter: a new attempt, so a new Idempotency-Key. */
  const pay = async () => {
    const my = form;
    if (!canPay() || !item) return;
    // What the shopper was shown: a catalog changed since it was read is refused, not charged.
    const it = { id: item.id, amount: amount(), currency: item.currency };
    const card = selected === 'new';
    const bad = invalid(card);
    if (bad.length) return showInvalid(bad);
    if (!card) return send({ paymentMethodId: selected, item: it });
    const exp = checkExpiry(value('expiry'));
    if (typeof exp === 'string' || !my) return;
    phase = 'paying';
    notice = undefined;
    draw();
    const [err, token] = await new Promise<unknown[]>((resolve) =>
      my.createToken({ expirationMonth: exp.month, expirationYear: exp.year }, (...a) =>
        resolve(a),
      ),
    );
    if (form !== my) return;
    if (err || typeof token !== 'string') {
      const e = parseMicroformError(err);
      const p = tokenProblem(e);
      return p === 'expired'
        ? renew(true)
        : Array.isArray(p)
          ? showInvalid(p)
          : report(
              'ready',
              p === 'network' ? 'network' : 'failed',
              'microform_error',
              undefined,
              e.reason,
            );
    }
    const name = value('name');
    const region = value('region');
    return send({
      sessionId,
      transientToken: token,
      item: it,
      savePaymentMethod: save,
      email: value('email'),
      ...(billing && {
        billTo: {
          // CyberSource wants first and last name apart; the last word is the last name.
          firstName: name.replace(/\s+\S+$/, ''),
          lastName: name.replace(/^.*\s/, ''),
          address1: value('address1'),
          locality: value('locality'),
          ...(value('postalCode') && { postalCode: value('postalCode') }),
          country: value('country').toUpperCase(),
          ...(region && { administrativeArea: northAmerica() ? region.toUpperCase() : region }),
        },
      }),
    });
  };

  /** Resends the last attempt with its own key: the stub answers with the first outcome. */
  const retry = () => attempt && phase !== 'paying' && send(...attempt);

  /**
   * On blur only a field with something in it is judged, so tabbing through stays quiet. A new
   * error is said once, with the field's name (README "What the shopper sees"): by then the
   * shopper is in the next field, and the message under this one is out of their reading order.
   */
  const judge = (name: string) => {
    const n = field(name);
    if (!n) return;
    const card = isCard(n);
    const err = !(card ? states[n].empty : !value(n)) && problem(n);
    if (err && err !== errors[n]) {
      errors[n] = err;
      say(fieldError(n, err));
    }
    if (!card) changed();
  };

  /**
   * The saved cards read (`saved`; undefined: the stub could not say). A list not read again
   * (the stub's per-shopper limit on reads, each a TMS call, spent by switching languages; TMS
   * down a moment) keeps the one this endpoint gave before. With none, the merchant is told,
   * and the shopper too unless a notice shows already, never shown as one without cards (who
   * would type one again, saving it twice); a new card still pays. At a start, and after a lost
   * session renewed for another shopper (as unread then: the cards listed were not theirs).
   */
  const list = (saved?: PaymentMethod[]) => {
    if (saved || listed !== opts.endpoint) {
      methods = saved || [];
      listed = saved && opts.endpoint;
    }
    if (!listed) {
      const m = t('unlisted');
      emit('Error', { code: 'saved_cards_unavailable', message: m });
      if (!notice) {
        notice = ['unlisted'];
        say(m);
      }
    }
  };

  /** The shopper's saved cards as the stub lists them; undefined when it could not say. */
  const readCards = async () => {
    const a = await call(opts.endpoint, 'GET', '/api/payment-methods');
    return a?.status === 200 ? parsePaymentMethods(a.body) : undefined;
  };

  /** DELETE (`remove`) or PUT default on a saved card; the list is updated locally on success. */
  const manage = async (id: string, remove?: boolean) => {
    const a = await call(
      opts.endpoint,
      remove ? 'DELETE' : 'PUT',
      `/api/payment-methods/${encodeURIComponent(id)}${remove ? '' : '/default'}`,
    );
    confirmRemove = undefined;
    // "Confirming your payment", its Check again and the leave-page prompt outlast a change to
    // the saved cards.
    const keep = phase === 'unknown';
    if (!keep) notice = undefined;
    // A 404 to a removal: already gone (removed in another tab).
    if (!a || (a.status > 299 && !(remove && a.status === 404))) {
      // 409 `payment_method_in_use`: a live subscription pays with it; `payment_in_progress`: a
      // payment with it is still being confirmed.
      const c = errorOf(a).code;
      const k =
        c === 'payment_method_in_use'
          ? 'inUse'
          : c === 'payment_in_progress'
            ? 'inProgress'
            : 'failed';
      if (!keep) notice = [k];
      say(t(k));
      // The confirm button is gone: back to the card's Remove button (Make default stays put).
      return remove && focus(`[data-cc-remove="${id}"]`);
    }
    // The default removed, the stub made another card the default first
    // (server-stub/checkout/payment-methods.ts): its list says which.
    const list = remove && methods.find((m) => m.id === id)?.isDefault && (await readCards());
    if (list) methods = list;
    methods = remove
      ? methods.filter((m) => m.id !== id)
      : methods.map((m) => ({ ...m, isDefault: m.id === id }));
    if (remove && selected === id) selected = methods.find((m) => m.isDefault)?.id ?? 'new';
    say(t(remove ? 'removed' : 'defaultSet'));
    // The button used is gone: focus goes to the chosen card after a removal, to this card's radio
    // after Make default (now its Default tag), or, the last card gone with the list, to the
    // new-card form's first field.
    methods.length
      ? focus(remove ? '.cc-saved input:checked' : `.cc-saved [value="${id}"]`)
      : fields.number?.focus();
    changed();
  };

  /**
   * Asks to confirm removing `id`, or (none) cancels and returns focus to its Remove button;
   * `stay`: focus is elsewhere (Escape from another control), and stays there.
   */
  const askRemove = (id?: string, stay?: boolean) => {
    const was = confirmRemove;
    confirmRemove = id;
    draw();
    stay || focus(id ? '[data-cc-confirm]' : `[data-cc-remove="${was}"]`);
  };

  /** "Payment successful. $12.00 paid with Visa ending 4242." */
  const receipt = () => {
    const p = result?.payment;
    const card = p?.card;
    return p && card
      ? `${t('success')} ${t('receipt', {
          amount: money(p.amount, p.currency),
          card: t('ending', { brand: brandName(card.brand), last4: card.last4 }),
        })}`
      : t('success');
  };

  /**
   * The pay button's amount: "$12.00", "$12.00 / month" for a plan, "$30.00 / 3 months" for one
   * billed every 3 months (Intl's unit names, in every language).
   */
  /** `payable`: empty for an amount outside the item's bounds, which the Pay button never offers. */
  const price = (payable?: 1) => {
    const a = amount();
    const b = item?.custom;
    const every = item?.interval ?? '';
    const count = item?.intervalCount ?? 1;
    return a === undefined || (payable && b && (a < b.min || a > b.max))
      ? ''
      : /^(day|week|month|year)$/.test(every)
        ? `${money(a)} / ${count > 1 ? units(every, count) : t(every as MessageKey)}`
        : money(a);
  };

  // The view.

  const error = (name: FieldName) => {
    const err = errors[name];
    return (
      err && (
        <p id={`${uid + name}-e`} class="cc-error">
          {t(err)}
        </p>
      )
    );
  };

  /** A field's label ("Amount (USD)"). */
  const labelOf = (name: FieldName) => t(name, { currency: item?.currency ?? '' });
  /** "Card number: Required.": what the live region says of a field. */
  const fieldError = (name: FieldName, err: MessageKey) =>
    t('fieldError', { field: labelOf(name), error: t(err) });

  /** A labelled text input with its inline error. */
  const textField = (name: TextField, props: Inputs) => {
    const id = uid + name;
    const err = errors[name];
    return (
      <div class="cc-field">
        <label class="cc-label" for={id}>
          {labelOf(name)}
        </label>
        <input
          type="text"
          {...props}
          id={id}
          name={name}
          class="cc-input"
          required={!optional(name)}
          aria-invalid={err && 'true'}
          aria-describedby={err && `${id}-e`}
        />
        {error(name)}
      </div>
    );
  };

  /**
   * A Microform field: an empty container for its iframe. Deliberately no `<input>` for the card
   * number or security code (RELIABILITY-FACTS §1.3).
   */
  const frame = (name: CardField) => (
    <div class="cc-field">
      {/* Not a <label>: it cannot point into a cross-origin iframe. The iframe's input carries
          the same text as its aria-label (createField options above). */}
      <span class="cc-label">{t(name)}</span>
      <div class={errors[name] ? 'cc-frame cc-invalid' : 'cc-frame'}>
        <div class="cc-input" data-cc-field={name === 'cvv' ? 'securityCode' : name} />
        {name === 'number' && brands.map((b) => brandIcon(b))}
      </div>
      {error(name)}
    </div>
  );

  /** Spread onto each saved-card radio; the <input> stays literal inside its <label> for the a11y linters. */
  const radio = (id: string) => ({
    name: `${uid}pm`,
    value: id,
    checked: selected === id,
    onChange: () => {
      selected = id;
      confirmRemove = undefined;
      errors = {};
      draw();
      changed();
    },
  });

  /** The returning shopper's saved cards: choose one, make it the default, remove it. */
  const savedCards = () => (
    <fieldset class="cc-grid cc-saved">
      <legend class="cc-label">{t('saved')}</legend>
      {methods.map((m) => {
        const ending = t('ending', { brand: brandName(m.brand), last4: m.last4 });
        const y = m.expirationYear;
        const makeDefault = t('makeDefault');
        const remove = t('remove');
        const label = `${remove}: ${ending}`;
        return (
          <div class="cc-method" key={m.id}>
            <label class="cc-check">
              <input type="radio" {...radio(m.id)} />
              {brandIcon(m.brand, true)}
              {/* One box: the expiry wraps under the name rather than push the row past a
                  narrow screen ("gültig bis 12/31" cannot break). */}
              <span>
                {ending}{' '}
                {m.expirationMonth && y && (
                  <span class="cc-muted">
                    {t('expires', { date: `${m.expirationMonth}/${y.slice(-2)}` })}
                  </span>
                )}
              </span>
            </label>
            {m.isDefault ? (
              <span class="cc-tag">{t('isDefault')}</span>
            ) : (
              <button
                type="button"
                class="cc-link"
                aria-label={`${makeDefault}: ${ending}`}
                onClick={() => manage(m.id)}
              >
                {makeDefault}
              </button>
            )}
            {confirmRemove === m.id ? (
              // Focus lands on the confirm button: named with the card like the Remove button it
              // replaces, the question its description. Escape cancels (the form's onKeyDown).
              <span class="cc-check">
                <span id={`${uid}q`}>{t('confirmRemove', { last4: m.last4 })}</span>
                <button
                  type="button"
                  class="cc-link"
                  data-cc-confirm
                  aria-label={label}
                  aria-describedby={`${uid}q`}
                  onClick={() => manage(m.id, true)}
                >
                  {remove}
                </button>
                <button type="button" class="cc-link" onClick={() => askRemove()}>
                  {t('cancel')}
                </button>
              </span>
            ) : (
              <button
                type="button"
                class="cc-link"
                data-cc-remove={m.id}
                aria-label={label}
                onClick={() => askRemove(m.id)}
              >
                {remove}
              </button>
            )}
          </div>
        );
      })}
      <label class="cc-check">
        <input type="radio" {...radio('new')} />
        {t('newCard')}
      </label>
    </fieldset>
  );

  /** The new-card part of the form, hidden (not removed: Microform keeps its iframes) for a saved card. */
  const cardForm = () => {
    const forced = !!item?.interval;
    const why = `${uid}why`;
    return (
      <div class="cc-grid" hidden={selected !== 'new'}>
        {frame('number')}
        <div class="cc-row">
          {/* No maxLength: a pasted or autofilled "01/2027" must reach formatExpiry whole. */}
          {textField('expiry', {
            autocomplete: 'cc-exp',
            inputMode: 'numeric',
            // "MM/YY" in the shopper's language, from the label's "(MM/YY)".
            placeholder: t('expiry').slice(-6, -1),
          })}
          {frame('cvv')}
        </div>
        {/* The limits are CyberSource's (cybersource/tms/common.ts BillTo; the stub's schemas), so
            an address is never refused after Pay for its length. The name's 60 holds both halves
            the stub is sent (first and last name, 60 each). */}
        {textField('name', { autocomplete: 'cc-name', maxLength: 60 })}
        {textField('email', {
          type: 'email',
          autocomplete: 'email',
          inputMode: 'email',
          maxLength: 255,
        })}
        {billing && (
          <fieldset class="cc-row">
            <legend class="cc-label">{t('billing')}</legend>
            {textField('address1', { autocomplete: 'billing address-line1', maxLength: 60 })}
            {textField('locality', { autocomplete: 'billing address-level2', maxLength: 50 })}
            {textField('postalCode', { autocomplete: 'billing postal-code', maxLength: 10 })}
            {textField('region', { autocomplete: 'billing address-level1', maxLength: 20 })}
            {textField('country', { autocomplete: 'billing country', maxLength: 2 })}
          </fieldset>
        )}
        <label class="cc-check">
          <input
            type="checkbox"
            checked={save}
            disabled={forced}
            aria-describedby={forced ? why : undefined}
            onChange={(e) => {
              save = e.currentTarget.checked;
              draw();
            }}
          />
          {t('save')}
        </label>
        {forced && (
          <p id={why} class="cc-muted">
            {t('saveForced')}
          </p>
        )}
      </div>
    );
  };

  /**
   * `unknown` resends the same attempt (it may have charged); `rateLimited` pays afresh from the
   * form as it is now (a 429 ran nothing, and the shopper may have changed the card or amount
   * since); a broken form starts over.
   */
  const noticeView = () => {
    if (!notice) return undefined;
    const [key] = notice;
    const broken = phase === 'error';
    const again = broken || /^(unknown|rateLimited)$/.test(key);
    return (
      <div
        class={
          /^(unknown|inProgress|review|reenter)$/.test(key) ? 'cc-notice' : 'cc-notice cc-error'
        }
        tabIndex={-1}
      >
        {t(...notice)}
        {again && ' '}
        {again && (
          <button
            type="button"
            class="cc-link"
            // After a broken form's Try again, focus goes to the item the new form shows (the
            // button it was on is gone): never lost to the page.
            onClick={
              broken ? () => start().then(() => focus('.cc-item')) : key === 'unknown' ? retry : pay
            }
          >
            {t(key === 'unknown' ? 'checkAgain' : 'retry')}
          </button>
        )}
      </div>
    );
  };

  const view = () => {
    const done = phase === 'success';
    const broken = phase === 'error';
    // No data-theme for `auto` (the default): widget.css then follows the page's color scheme.
    return (
      <div class="cc" data-theme={opts.theme} lang={locale.tag}>
        {/* The one persistent live region: validation, declines and results are all said here. */}
        <div class="cc-sr" role="status" aria-live="polite" aria-atomic="true">
          {said}
        </div>
        {testMode && <p class="cc-tag cc-badge">{t('testMode')}</p>}
        {done && (
          <p class="cc-done" tabIndex={-1}>
            {receipt()}
          </p>
        )}
        {broken && noticeView()}
        <form
          class="cc-grid"
          hidden={done || broken}
          noValidate
          aria-busy={phase === 'loading' || phase === 'paying'}
          onInput={(e) => {
            // Formats the expiry and clears the field's error. Checkboxes and radios are
            // controlled and fire `input` before `change`: a render here would undo the click.
            const el = e.target as HTMLInputElement;
            const n = field(el.name);
            if (!n) return;
            // Typed at the end only: a month being corrected in place ("1|/27" on its way from
            // "12/27" to "11/27") must not become "01/27", nor the caret jump to the end.
            if (n === 'expiry' && el.selectionEnd === el.value.length)
              el.value = formatExpiry(el.value);
            delete errors[n];
            draw();
            // `complete` as typed: the last field filled (or one cleared) says so before any blur.
            changed();
          }}
          onFocusOut={(e) => pressing || judge((e.target as HTMLInputElement).name)}
          onKeyDown={(e) => {
            const el = e.target as HTMLInputElement;
            // A held key repeats: one press, one action (a repeat would press the button focus
            // just moved to, Remove's confirmation, or pay). Enter on a saved card chooses it,
            // never pays with the card chosen before; on "save this card" it ticks the box,
            // never pays without keeping the card.
            if (e.key === 'Enter' && (e.repeat || /^(radio|checkbox)$/.test(el.type))) {
              e.preventDefault();
              e.repeat || el.click();
            }
            // Escape anywhere in the form cancels an open Remove confirmation, as a dialog's
            // would: the shopper may have tabbed on from it. Focus goes back to Remove only from
            // the confirmation's own buttons (the confirm button or Cancel after it), which go.
            // That Escape is ours alone: a merchant's modal around the widget (a <dialog>
            // closes on one not canceled, a script's on one reaching the page) stays open.
            if (e.key === 'Escape' && confirmRemove) {
              e.preventDefault();
              e.stopPropagation();
              askRemove(undefined, !el.matches('[data-cc-confirm],[data-cc-confirm]+*'));
            }
          }}
          onSubmit={(e) => {
            e.preventDefault();
            pressing = 0;
            pay();
          }}
        >
          {item ? (
            <p class="cc-item" tabIndex={-1}>
              {item.name} <b>{price()}</b>
            </p>
          ) : (
            <p class="cc-muted">{t('loading')}</p>
          )}
          {item?.custom &&
            opts.amount === undefined &&
            textField('amount', {
              inputMode: 'decimal',
              defaultValue: item.amount ? decimal(item.amount) : undefined,
            })}
          {methods.length > 0 && savedCards()}
          {cardForm()}
          {!broken && noticeView()}
          <button
            type="submit"
            class="cc-pay"
            disabled={!canPay()}
            onPointerDown={() => (pressing = 1)}
            onPointerLeave={() => (pressing = 0)}
          >
            {phase === 'paying' ? t('paying') : t('pay', { amount: price(1) }).trim()}
          </button>
        </form>
      </div>
    );
  };

  const destroy = () => {
    gen++;
    dead = true;
    watch.disconnect();
    held = undefined;
    stop();
    draw();
  };

  /**
   * While a payment is in flight or unconfirmed nothing changes (a restart would drop its
   * answer: charged, yet no receipt): the options wait for its outcome (`draw`).
   */
  const update = (next: CheckoutOptions, keep?: boolean) => {
    if (busy()) {
      held = next;
      return;
    }
    const old = opts;
    opts = next;
    // A new language keeps the fields and their session too: each session is one of the
    // shopper's 10 per 10 minutes, and switching languages is not a checkout attempt.
    const place = next.endpoint === old.endpoint;
    if (next.saveCard !== old.saveCard) save = !!next.saveCard || !!item?.interval;
    if (dead || !place || next.item !== old.item || next.locale !== old.locale)
      void start(keep, !dead && place);
    else badAmount() || draw();
  };

  return { start, update, destroy, busy, sending: () => sent };
}
