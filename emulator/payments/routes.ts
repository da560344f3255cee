/**
 * @module The Payments (`/pts/v2`) and Transaction Search (`/tss/v2`) endpoints. Requests
 * arrive authenticated (`emulator/http/auth.ts`); each handler is in the file named for it.
 */
import { Hono } from 'hono';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { authorize } from './authorize.ts';
import { capture, refund } from './capture-refund.ts';
import { ptsRead, transactionDetails } from './details.ts';
import { reversal, timeoutReversal, timeoutVoid, voidById } from './reversal-void.ts';
import { createSearch, getSearch } from './search.ts';

export function paymentsRoutes(deps: EmulatorDeps): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  // The real sandbox accepted `/pts/v2/payments/` with a trailing slash (API-FACTS §1.5 A).
  app.post('/pts/v2/payments', authorize(deps));
  app.post('/pts/v2/payments/', authorize(deps));
  app.get('/pts/v2/payments/:id', ptsRead(deps, 'payment'));
  app.post('/pts/v2/payments/:id/captures', capture(deps));
  app.post('/pts/v2/payments/:id/refunds', refund(deps, 'payment'));
  app.post('/pts/v2/payments/:id/reversals', reversal(deps));
  app.post('/pts/v2/payments/:id/voids', voidById(deps, 'payment'));
  app.get('/pts/v2/captures/:id', ptsRead(deps, 'capture'));
  app.post('/pts/v2/captures/:id/refunds', refund(deps, 'capture'));
  app.post('/pts/v2/captures/:id/voids', voidById(deps, 'capture'));
  app.get('/pts/v2/refunds/:id', ptsRead(deps, 'refund'));
  app.post('/pts/v2/refunds/:id/voids', voidById(deps, 'refund'));
  app.post('/pts/v2/credits/:id/voids', voidById(deps, 'credit'));
  app.get('/pts/v2/reversals/:id', ptsRead(deps, 'reversal'));
  app.post('/pts/v2/reversals', timeoutReversal(deps));
  app.get('/pts/v2/voids/:id', ptsRead(deps, 'void'));
  app.post('/pts/v2/voids', timeoutVoid(deps));
  app.get('/tss/v2/transactions/:id', transactionDetails(deps));
  app.post('/tss/v2/searches', createSearch(deps));
  app.get('/tss/v2/searches/:searchId', getSearch(deps));
  return app;
}
