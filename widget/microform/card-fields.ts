/**
 * @module The two Microform fields of one capture context: card number and security code.
 * They live in CyberSource's iframes, loaded into containers the widget renders; the widget
 * never creates an `<input>` for either (DESIGN.md principles; RELIABILITY-FACTS §1.3).
 */
import {
  type FieldState,
  type FlexConstructor,
  type MicroformErrorInfo,
  type MicroformField,
  parseChange,
  parseMicroformError,
} from './flex-types.ts';

export type CardField = 'number' | 'cvv';

export interface FieldEvents {
  change(name: CardField, state: FieldState): void;
  blur(name: CardField): void;
  /** Both fields have loaded. */
  ready(): void;
  error(e: MicroformErrorInfo): void;
  /** Enter pressed inside a field (`inputSubmitRequest`). */
  submit(): void;
}

export type TokenOutcome = { token: string } | { error: MicroformErrorInfo };

const EMPTY: FieldState = { empty: true, valid: false, brands: [] };

export class CardFields {
  readonly states: Record<CardField, FieldState> = { number: EMPTY, cvv: EMPTY };
  private readonly fields: Partial<Record<CardField, MicroformField>> = {};
  private readonly microform;
  private dead = false;

  constructor(
    Flex: FlexConstructor,
    captureContext: string,
    containers: Record<CardField, HTMLElement>,
    labels: Record<CardField, string>,
    styles: Record<string, Record<string, string>>,
    on: FieldEvents,
  ) {
    this.microform = new Flex(captureContext).microform({ styles });
    let loaded = 0;
    for (const name of ['number', 'cvv'] as const) {
      const field = this.microform.createField(name === 'cvv' ? 'securityCode' : 'number', {
        placeholder: name === 'cvv' ? '•••' : '1234 1234 1234 1234',
        'aria-label': labels[name],
        'aria-required': true,
      });
      this.fields[name] = field;
      // Events from disposed fields (a renewed context) must not reach the new form.
      const listen = (event: string, fn: (d: unknown) => void) =>
        field.on(event, (d) => {
          if (!this.dead) fn(d);
        });
      listen('change', (d) => {
        this.states[name] = parseChange(d);
        on.change(name, this.states[name]);
      });
      listen('blur', () => on.blur(name));
      listen('load', () => ++loaded === 2 && on.ready());
      listen('error', (d) => on.error(parseMicroformError(d)));
      listen('inputSubmitRequest', on.submit);
      field.load(containers[name]);
    }
  }

  focus(name: CardField): void {
    this.fields[name]?.focus();
  }

  token(expirationMonth: string, expirationYear: string): Promise<TokenOutcome> {
    return new Promise((resolve) =>
      this.microform.createToken({ expirationMonth, expirationYear }, (err, token) =>
        resolve(
          typeof token === 'string' && !err ? { token } : { error: parseMicroformError(err) },
        ),
      ),
    );
  }

  dispose(): void {
    this.dead = true;
    for (const f of Object.values(this.fields)) f.dispose?.();
  }
}
