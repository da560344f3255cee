/**
 * @module The 400 body of `POST /microform/v2/sessions` (API-FACTS §5.1, NODE
 * `InlineResponse4001.md`). The envelope itself is `MicroformSessionErrorBody` in
 * `cybersource/envelopes.ts`; these are the reasons the emulator produces.
 */
export { MicroformSessionErrorBody } from '../envelopes.ts';

export const SESSIONS_ERROR_REASONS = [
  'CAPTURE_CONTEXT_INVALID',
  'CAPTURE_CONTEXT_EXPIRED',
  'UNIFIEDPAYMENTS_VALIDATION_PARAMS',
  'UNIFIEDPAYMENTS_VALIDATION_FIELDS',
  'INVALID_APIKEY',
] as const;
export type SessionsErrorReason = (typeof SESSIONS_ERROR_REASONS)[number];
