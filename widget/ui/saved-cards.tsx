/** @module The returning shopper's saved cards: choose one, make it the default, remove it. */
import type { Checkout } from '../checkout/controller.ts';
import { BrandIcon } from './brand-icon.tsx';
import { brandName } from './networks.ts';

export function SavedCards({ c }: { c: Checkout }) {
  const t = c.locale.t;
  const { methods, selected, confirmRemove } = c.s;
  // Spread onto each radio; the <input> stays literal inside its <label> for the a11y linters.
  const radio = (id: string) => ({
    name: c.id('pm'),
    value: id,
    checked: selected === id,
    onChange: () => c.select(id),
  });
  return (
    <fieldset class="cc-grid cc-saved">
      <legend class="cc-label">{t('saved')}</legend>
      {methods.map((m) => {
        const ending = t('ending', { brand: brandName(m.brand), last4: m.last4 });
        const y = m.expirationYear;
        return (
          <div class="cc-method" key={m.id}>
            <label class="cc-check">
              <input type="radio" {...radio(m.id)} />
              <BrandIcon brand={m.brand} decorative />
              {ending}
              {m.expirationMonth && y && (
                <span class="cc-muted">
                  {t('expires', { date: `${m.expirationMonth}/${y.slice(-2)}` })}
                </span>
              )}
            </label>
            {m.isDefault ? (
              <span class="cc-tag">{t('isDefault')}</span>
            ) : (
              <button
                type="button"
                class="cc-link"
                aria-label={`${t('makeDefault')}: ${ending}`}
                onClick={() => void c.manage(m.id, false)}
              >
                {t('makeDefault')}
              </button>
            )}
            {confirmRemove === m.id ? (
              <span class="cc-check">
                {t('confirmRemove', { last4: m.last4 })}
                <button
                  type="button"
                  class="cc-link"
                  data-cc-confirm
                  onClick={() => void c.manage(m.id, true)}
                >
                  {t('remove')}
                </button>
                <button type="button" class="cc-link" onClick={() => c.askRemove(undefined)}>
                  {t('cancel')}
                </button>
              </span>
            ) : (
              <button
                type="button"
                class="cc-link"
                data-cc-remove={m.id}
                aria-label={`${t('remove')}: ${ending}`}
                onClick={() => c.askRemove(m.id)}
              >
                {t('remove')}
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
}
