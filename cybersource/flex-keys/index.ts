/**
 * @module Flex API v1 keys group (API-FACTS §4): legacy, requested by the stub as a seed key
 * in parallel with the capture context; its failure never blocks checkout.
 */
export * from './request.ts';
export * from './response.ts';
