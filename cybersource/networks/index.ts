/**
 * @module Card networks: the 15 seed networks, detection, validation, formatting, test cards.
 * Pure and browser-safe (no Node imports): the emulated Microform iframe bundles it.
 */
export * from './detect.ts';
export * from './format.ts';
export * from './luhn.ts';
export * from './microform-card.ts';
export * from './networks.ts';
export * from './security-code.ts';
export * from './test-cards.ts';
export * from './types.ts';
