/**
 * @module Per-request values the stub's middleware sets on the Hono context.
 */
import type { Logger } from '../logger.ts';

export interface StubEnv {
  Variables: {
    requestId: string;
    log: Logger;
    shopperId: string;
    /**
     * Set by an identity hook that has just created this shopper (the default cookie's): a new
     * shopper has no session to resume (`checkout/sessions.ts`), so none is looked for.
     */
    freshShopper: boolean | undefined;
    /** The counted client address (`limits/client-ip.ts`); undefined when the runtime has none. */
    clientIp: string | undefined;
    /** This response's CSP nonce: put it on the page's own `<script>` and `<style>` tags. */
    cspNonce: string;
  };
}
