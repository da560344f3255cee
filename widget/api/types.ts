/** @module The shapes the widget reads from the server stub (DESIGN.md "Stub"; README "Stub contract"). */

export type Currency = 'USD' | 'CAD' | 'EUR';

export interface CatalogItem {
  id: string;
  name: string;
  /** Minor units; absent for custom-amount items. */
  amount?: number | undefined;
  currency: Currency;
  /** Set for subscription plans: `day` | `week` | `month` | `year`. */
  interval?: string | undefined;
  /** A plan billed every `intervalCount` intervals (every 3 months); absent means 1. */
  intervalCount?: number | undefined;
  /** Custom-amount bounds in minor units (donations). */
  custom?: { min: number; max: number } | undefined;
}

export type Environment = 'production' | 'sandbox' | 'emulator';

export interface Session {
  sessionId: string;
  captureContext: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /**
   * Seconds the context had left when the stub answered, by the stub's clock: less than its
   * `exp - iat` when the stub handed out a session it started earlier. 1e9 when not sent.
   */
  expiresIn: number;
  environment: Environment;
  /**
   * The one origin besides CyberSource's flex hosts the Microform library may come from (the
   * emulator, a white-label gateway), as the stub read it from a capture context it verified.
   */
  libraryOrigin?: string | undefined;
  requireBillingAddress: boolean;
}

export interface PaymentMethod {
  id: string;
  brand: string;
  last4: string;
  expirationMonth?: string | undefined;
  expirationYear?: string | undefined;
  isDefault: boolean;
}

/** The stub's 201 body, handed to `onSuccess` / `checkout:success` as is (never card data). */
export interface PaymentResult {
  payment: {
    id: string;
    status: string;
    amount: number;
    /** Absent when the backend leaves it out: the item's currency is meant. */
    currency?: string | undefined;
    card?: { brand: string; last4: string } | undefined;
  };
  subscription?: Record<string, unknown> | undefined;
}

export interface BillTo {
  firstName: string;
  lastName: string;
  address1: string;
  locality: string;
  administrativeArea?: string;
  postalCode?: string;
  country: string;
}

export interface PaymentRequest {
  sessionId?: string;
  transientToken?: string;
  paymentMethodId?: string;
  /** With the amount and currency the shopper was shown: the stub refuses others (`price_changed`). */
  item: { id: string; amount?: number | undefined; currency?: string };
  savePaymentMethod?: boolean;
  email?: string;
  billTo?: BillTo;
}
