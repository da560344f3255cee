/** @module The widget's state: one object, re-rendered whole on every change. */
import type { CatalogItem, PaymentMethod, PaymentResult, Session } from '../api/types.ts';
import type { MessageKey } from '../i18n/en.ts';

export type Phase = 'loading' | 'ready' | 'paying' | 'success' | 'declined' | 'unknown' | 'error';

/** Our own inputs (uncontrolled: read from the form when needed). */
export type TextField =
  | 'amount'
  | 'expiry'
  | 'name'
  | 'email'
  | 'address1'
  | 'locality'
  | 'region'
  | 'postalCode'
  | 'country';

export type FieldName = TextField | 'number' | 'cvv';

/** Document order: focus goes to the first invalid one. */
export const FIELD_ORDER: FieldName[] = [
  'amount',
  'number',
  'expiry',
  'cvv',
  'name',
  'email',
  'address1',
  'locality',
  'region',
  'postalCode',
  'country',
];

export interface Notice {
  key: MessageKey;
  params?: Record<string, string | number> | undefined;
  /** The button: resend the same attempt, or start over. */
  action?: 'retry' | 'restart' | undefined;
  info?: boolean | undefined;
}

export interface State {
  phase: Phase;
  item?: CatalogItem | undefined;
  session?: Session | undefined;
  testMode?: boolean | undefined;
  methods: PaymentMethod[];
  /** `new`, or the id of a saved payment method. */
  selected: string;
  confirmRemove?: string | undefined;
  save: boolean;
  errors: Partial<Record<FieldName, MessageKey>>;
  /** Networks detected in the number field (co-badged: several). */
  brands: string[];
  fieldsReady?: boolean | undefined;
  notice?: Notice | undefined;
  result?: PaymentResult | undefined;
  /** Text of the one persistent live region. */
  announcement: string;
}
