/**
 * @module In-memory payments state: every transaction (authorization/sale, capture, refund,
 * reversal, void) by its 22-digit id, plus the indexes the API looks things up by.
 *
 * Money is held in integer minor units. Handlers read and write these records in one
 * synchronous stretch (no `await` between check and write), which makes each money rule atomic
 * on Node's single thread (see `emulator/state.ts`).
 */
import type { PaymentStatus } from '../../cybersource/payments/index.ts';

export interface ClientReference {
  code?: string;
  transactionId?: string;
}

interface TxnBase {
  id: string;
  merchantId: string;
  submittedAt: Date;
  submitTimeUtc: string;
  reconciliationId: string;
  clientReference: ClientReference;
  /** Upper-case ISO 4217 code. */
  currency: string;
}

export interface CardSummary {
  type: string;
  /** First six digits and last four; the full number stays in TMS (or nowhere). */
  bin: string;
  suffix: string;
  expirationMonth: string;
  expirationYear: string;
  /** sha256 of the PAN: ties a merchant-initiated payment to the card of its first payment. */
  fingerprint: string;
}

export interface TmsEcho {
  customerId?: string;
  paymentInstrumentId?: string;
  shippingAddressId?: string;
  instrumentIdentifierId?: string;
  instrumentIdentifierState?: string;
  paymentAccountReference?: string;
}

/** The TMS tokens a payment's TOKEN_CREATE created (an instrument identifier may be found, not new). */
export interface CreatedTokens {
  customerId?: string;
  paymentInstrumentId?: string;
  shippingAddressId?: string;
  instrumentIdentifierId: string;
}

export interface PaymentTxn extends TxnBase {
  kind: 'payment';
  /** `processingInformation.capture:true`: authorized and captured in one call. */
  sale: boolean;
  /** Status the authorization answered with. */
  status: PaymentStatus;
  totalMinor: number;
  authorizedMinor: number;
  /** Sum of non-voided captures (the sale's own capture included). */
  capturedMinor: number;
  /** Sum of non-voided refunds against the payment and its captures. */
  refundedMinor: number;
  reversedBy?: string;
  voidedBy?: string;
  card: CardSummary;
  tms: TmsEcho;
  /** Set when the payment's TOKEN_CREATE vaulted the card (token-create.ts). */
  tokensCreated?: CreatedTokens;
  approvalCode?: string;
  responseCode: string;
  networkTransactionId?: string;
  errorInformation?: { reason: string; message: string };
  /** `initial`: a CIT that stored the card; `subsequent`: a payment that reused it (API-FACTS §2.4). */
  storedCredential?: 'initial' | 'subsequent';
  captureIds: string[];
  refundIds: string[];
}

export interface CaptureTxn extends TxnBase {
  kind: 'capture';
  paymentId: string;
  amountMinor: number;
  refundedMinor: number;
  voidedBy?: string;
  refundIds: string[];
}

export interface RefundTxn extends TxnBase {
  kind: 'refund';
  paymentId: string;
  captureId?: string;
  amountMinor: number;
  voidedBy?: string;
}

export interface ReversalTxn extends TxnBase {
  kind: 'reversal';
  paymentId: string;
  amountMinor: number;
}

export interface VoidTxn extends TxnBase {
  kind: 'void';
  targetId: string;
  amountMinor: number;
}

export type Txn = PaymentTxn | CaptureTxn | RefundTxn | ReversalTxn | VoidTxn;

/** How many search answers `GET /tss/v2/searches/{id}` can replay. */
export const SEARCHES_KEPT = 1000;

export class PaymentsStore {
  readonly transactions = new Map<string, Txn>();
  /** `${merchantId}:${transactionId}` → id: one namespace per merchant (RELIABILITY-FACTS §3.6). */
  readonly #byTransactionId = new Map<string, string>();
  /** `${merchantId}:${networkTransactionId}` → payment id, for merchant-initiated payments. */
  readonly #byNetworkId = new Map<string, string>();
  /** Search results by `searchId`, as answered (GET replays them); the latest SEARCHES_KEPT. */
  readonly searches = new Map<string, { merchantId: string; body: unknown }>();

  keepSearch(searchId: string, search: { merchantId: string; body: unknown }): void {
    this.searches.set(searchId, search);
    // A Map iterates in insertion order: the first key is the oldest search.
    for (const oldest of this.searches.keys()) {
      if (this.searches.size <= SEARCHES_KEPT) break;
      this.searches.delete(oldest);
    }
  }

  reset(): void {
    this.transactions.clear();
    this.searches.clear();
    this.#byTransactionId.clear();
    this.#byNetworkId.clear();
  }

  /** The merchant's transaction with this id, of any kind. */
  get(merchantId: string, id: string): Txn | undefined {
    const t = this.transactions.get(id);
    return t && t.merchantId === merchantId ? t : undefined;
  }

  byTransactionId(merchantId: string, transactionId: string): Txn | undefined {
    const id = this.#byTransactionId.get(`${merchantId}:${transactionId}`);
    return id ? this.transactions.get(id) : undefined;
  }

  byNetworkTransactionId(merchantId: string, ntid: string): PaymentTxn | undefined {
    const id = this.#byNetworkId.get(`${merchantId}:${ntid}`);
    const t = id ? this.transactions.get(id) : undefined;
    return t?.kind === 'payment' ? t : undefined;
  }

  /**
   * Records a transaction; the caller has checked `transactionId` is unused in this stretch,
   * except for a timeout void or reversal, which echoes its target's and leaves it to name the
   * target.
   */
  add(txn: Txn): void {
    this.transactions.set(txn.id, txn);
    const key = `${txn.merchantId}:${txn.clientReference.transactionId}`;
    if (txn.clientReference.transactionId && !this.#byTransactionId.has(key))
      this.#byTransactionId.set(key, txn.id);
    if (txn.kind === 'payment' && txn.networkTransactionId) {
      this.#byNetworkId.set(`${txn.merchantId}:${txn.networkTransactionId}`, txn.id);
    }
  }

  /** The merchant's transactions, oldest first. */
  all(merchantId: string): Txn[] {
    return [...this.transactions.values()].filter((t) => t.merchantId === merchantId);
  }
}
