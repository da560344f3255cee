/**
 * @module Microform v2 sessions group: request, capture context, public keys, the tokens
 * endpoint and the transient token (API-FACTS §5).
 */
export * from './capture-context.ts';
export * from './error.ts';
export * from './networks.ts';
export * from './public-key.ts';
export * from './request.ts';
export * from './target-origins.ts';
export * from './tokens.ts';
export * from './transient-token.ts';
