/**
 * @module The whole widget as a pure function of the controller's state. It renders
 * synchronously on every change, so the Microform containers exist before fields load into them.
 */
import type { Checkout } from '../checkout/controller.ts';
import { CardForm } from './card-form.tsx';
import { SavedCards } from './saved-cards.tsx';
import { TextField } from './text-field.tsx';

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

function Notice({ c }: { c: Checkout }) {
  const n = c.s.notice;
  const t = c.locale.t;
  return n ? (
    <div class={n.info ? 'cc-notice' : 'cc-notice cc-error'} tabIndex={-1}>
      {t(n.key, n.params)}
      {n.action && ' '}
      {n.action && (
        <button
          type="button"
          class="cc-link"
          onClick={() => void (n.action === 'retry' ? c.retry() : c.start())}
        >
          {t(c.s.phase === 'unknown' ? 'checkAgain' : 'retry')}
        </button>
      )}
    </div>
  ) : null;
}

/** The pay button's amount: "$12.00", or "$12.00 / month" for a plan. */
function price(c: Checkout): string {
  const it = c.s.item;
  const amount = c.amount();
  if (!it || amount === undefined) return '';
  const money = c.locale.money(amount, it.currency);
  const every = INTERVALS.find((k) => k === it.interval);
  return every ? `${money} / ${c.locale.t(every)}` : money;
}

export function App({ c }: { c: Checkout }) {
  const { s } = c;
  const t = c.locale.t;
  const it = s.item;
  const done = s.phase === 'success';
  const broken = s.phase === 'error';
  return (
    <div class="cc" data-theme={c.opts.theme ?? 'auto'} lang={c.locale.tag}>
      {/* The one persistent live region: validation, declines and results are all said here. */}
      <div class="cc-sr" role="status" aria-live="polite" aria-atomic="true">
        {s.announcement}
      </div>
      {s.testMode && <p class="cc-tag cc-badge">{t('testMode')}</p>}
      {done && (
        <p class="cc-done" tabIndex={-1}>
          {c.receipt()}
        </p>
      )}
      {broken && <Notice c={c} />}
      <form
        class="cc-grid"
        hidden={done || broken}
        noValidate
        aria-busy={s.phase === 'loading' || s.phase === 'paying'}
        onInput={(e) => c.input(e.target)}
        onFocusOut={(e) => e.target instanceof HTMLInputElement && c.judge(e.target.name)}
        onSubmit={(e) => {
          e.preventDefault();
          void c.pay();
        }}
      >
        {it ? (
          <p class="cc-item">
            {it.name} <b>{price(c)}</b>
          </p>
        ) : (
          <p class="cc-muted">{t('loading')}</p>
        )}
        {it?.custom && c.opts.amount === undefined && (
          <TextField
            c={c}
            name="amount"
            label={t('amount', { currency: it.currency })}
            inputMode="decimal"
            defaultValue={it.amount ? (it.amount / 100).toFixed(2) : undefined}
          />
        )}
        {s.methods.length > 0 && <SavedCards c={c} />}
        <CardForm c={c} />
        {!broken && <Notice c={c} />}
        <button type="submit" class="cc-pay" disabled={!c.canPay()}>
          {s.phase === 'paying' ? t('paying') : t('pay', { amount: price(c) }).trim()}
        </button>
      </form>
    </div>
  );
}
