/**
 * @module Payments (pts) and Transaction Search (tss) schemas, shared by the stub and the emulator.
 */
export * from './address.ts';
export * from './amount.ts';
export * from './common.ts';
export * from './follow-on-requests.ts';
export * from './follow-on-responses.ts';
export * from './payment-request.ts';
export * from './payment-response.ts';
export * from './transaction-details.ts';
