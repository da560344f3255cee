/**
 * @module The new-card part of the form. The card number and security code are empty
 * containers that Microform fills with its iframes; there is deliberately no `<input>` for
 * either (RELIABILITY-FACTS §1.3).
 */
import type { Checkout } from '../checkout/controller.ts';
import { BrandIcon } from './brand-icon.tsx';
import { FieldError, TextField } from './text-field.tsx';

function Frame({ c, name }: { c: Checkout; name: 'number' | 'cvv' }) {
  return (
    <div class="cc-field">
      {/* Not a <label>: it cannot point into a cross-origin iframe. The iframe's input carries
          the same text as its aria-label (createField options, microform/card-fields.ts). */}
      <span class="cc-label">{c.locale.t(name)}</span>
      <div class={c.s.errors[name] ? 'cc-frame cc-invalid' : 'cc-frame'}>
        <div class="cc-input" data-cc-field={name === 'cvv' ? 'securityCode' : name} />
        {name === 'number' && c.s.brands.map((b) => <BrandIcon key={b} brand={b} />)}
      </div>
      <FieldError c={c} name={name} />
    </div>
  );
}

export function CardForm({ c }: { c: Checkout }) {
  const { s } = c;
  const t = c.locale.t;
  const forced = !!s.item?.interval;
  const why = c.id('why');
  return (
    <div class="cc-grid" hidden={s.selected !== 'new'}>
      <Frame c={c} name="number" />
      <div class="cc-row">
        <TextField
          c={c}
          name="expiry"
          autocomplete="cc-exp"
          inputMode="numeric"
          placeholder="MM/YY"
          maxLength={5}
        />
        <Frame c={c} name="cvv" />
      </div>
      <TextField c={c} name="name" autocomplete="cc-name" />
      <TextField c={c} name="email" autocomplete="email" inputMode="email" email />
      {s.session?.requireBillingAddress && (
        <fieldset class="cc-row">
          <legend class="cc-label">{t('billing')}</legend>
          <TextField c={c} name="address1" autocomplete="billing address-line1" />
          <TextField c={c} name="locality" autocomplete="billing address-level2" />
          <TextField c={c} name="postalCode" autocomplete="billing postal-code" />
          <TextField c={c} name="region" autocomplete="billing address-level1" />
          <TextField c={c} name="country" autocomplete="billing country" maxLength={2} />
        </fieldset>
      )}
      <label class="cc-check">
        <input
          type="checkbox"
          checked={s.save}
          disabled={forced}
          aria-describedby={forced ? why : undefined}
          onChange={(e) => c.set({ save: e.currentTarget.checked })}
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
}
