export * from './certificate.ts';
export * from './jwe.ts';
