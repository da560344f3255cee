export * from './digest.ts';
export * from './http-signature.ts';
export * from './http-signature-verify.ts';
export * from './jwt.ts';
