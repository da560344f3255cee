/**
 * @module A labelled text input with its inline error. Inputs are uncontrolled: the form's
 * input/focusout handlers (app.tsx) format, clear and judge them, the controller reads them.
 */
import type { Checkout } from '../checkout/controller.ts';
import type { FieldName, TextField as Name } from '../checkout/state.ts';

export interface TextFieldProps {
  c: Checkout;
  name: Name;
  autocomplete?: string | undefined;
  inputMode?: 'numeric' | 'decimal' | 'email' | undefined;
  email?: boolean | undefined;
  placeholder?: string | undefined;
  maxLength?: number | undefined;
  /** The label, when it is not the message of the same name. */
  label?: string | undefined;
  /** Starting value (the input is uncontrolled). */
  defaultValue?: string | undefined;
}

export function TextField({ c, name, email, label, ...rest }: TextFieldProps) {
  const id = c.id(name);
  const err = c.s.errors[name];
  const props = {
    ...rest,
    id,
    name,
    class: 'cc-input',
    required: name !== 'region',
    'aria-invalid': err ? ('true' as const) : undefined,
    'aria-describedby': err ? `${id}-e` : undefined,
  };
  return (
    <div class="cc-field">
      <label class="cc-label" for={id}>
        {label ?? c.locale.t(name === 'amount' ? 'amount' : name)}
      </label>
      {/* Two literal types: preact's input typings discriminate on them. */}
      {email ? <input type="email" {...props} /> : <input type="text" {...props} />}
      <FieldError c={c} name={name} />
    </div>
  );
}

export function FieldError({ c, name }: { c: Checkout; name: FieldName }) {
  const err = c.s.errors[name];
  return err ? (
    <p id={c.id(`${name}-e`)} class="cc-error">
      {c.locale.t(err, c.bounds())}
    </p>
  ) : null;
}
