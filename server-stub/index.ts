/**
 * @module The server stub's public surface for tests, the demo launcher and embedders.
 */
export { type Catalog, DEMO_CATALOG, loadCatalog } from './config/catalog.ts';
export { ConfigError, configFromEnv, SAMPLE_CREDENTIALS, type StubConfig } from './config/env.ts';
export { ERROR_CATALOG, type ErrorCode, StubError } from './errors.ts';
export { type ShopperIdentity, signedCookieIdentity } from './identity/shopper.ts';
export { createLogger } from './logger.ts';
export { renewDue } from './renew-due-run.ts';
export { openStore } from './store/index.ts';
export { createStub, type Stub, type StubOptions } from './stub.ts';
