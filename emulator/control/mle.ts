/**
 * @module Control API for message-level encryption: what a merchant does in the Business Center.
 *
 * - `GET /mle/request-certificate`: CyberSource's request-MLE certificate (PEM, alias
 *   `CyberSource_SJC_US`, key id in the subject's serialNumber), the file the SDK's
 *   `mleForRequestPublicCertPath` names. Made on first call and kept across resets.
 * - `PUT /mle/response-keys/{kid}` `{"publicKey": "<PEM>", "merchantId"?}`: registers the public
 *   key answers are encrypted to when that merchant's JWT names `kid` (replacing one by that id).
 * - `DELETE /mle/response-keys/{kid}[?merchantId=…]`: removes it.
 */
import { Hono } from 'hono';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { currentRequestKey } from '../mle/request-key.ts';
import { ResponseKeyBody, ResponseKeyId } from '../mle/response-keys.ts';
import { controlFailure, readControlBody } from './answers.ts';

/** A zod-shaped issue, so every 400 of the control API names its field the same way. */
const issue = (path: PropertyKey[], message: string) => [{ code: 'custom', path, message }];

export function mleControlRoutes({ state, config, keys }: EmulatorDeps): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  const merchants = new Set(config.keys.map((k) => k.merchantId));
  const defaultMerchant = config.keys[0]?.merchantId ?? '';

  const checkKid = (kid: string) => {
    const r = ResponseKeyId.safeParse(kid);
    return r.success ? undefined : issue(['kid'], r.error.issues[0]?.message ?? 'invalid');
  };
  const checkMerchant = (merchantId: string, where: PropertyKey[]) =>
    merchants.has(merchantId) ? undefined : issue(where, 'is not a merchant this emulator knows');

  app.get('/mle/request-certificate', async (c) => {
    const key = await currentRequestKey(state.mle, keys, () => state.now());
    return c.body(key.certificate, 200, { 'content-type': 'application/x-pem-file' });
  });

  app.put('/mle/response-keys/:kid', async (c) => {
    const kid = c.req.param('kid');
    const badKid = checkKid(kid);
    if (badKid) return c.json(controlFailure('invalid_request', 'Invalid key id.', badKid), 400);
    const body = await readControlBody(c, ResponseKeyBody);
    if (!body.ok) return c.json(body.error, 400);
    const merchantId = body.value.merchantId ?? defaultMerchant;
    const badMerchant = checkMerchant(merchantId, ['merchantId']);
    if (badMerchant)
      return c.json(controlFailure('invalid_request', 'Invalid body.', badMerchant), 400);
    state.mle.setResponseKey(merchantId, kid, body.value.publicKey);
    return c.body(null, 204);
  });

  app.delete('/mle/response-keys/:kid', (c) => {
    const merchantId = c.req.query('merchantId') ?? defaultMerchant;
    if (!state.mle.deleteResponseKey(merchantId, c.req.param('kid')))
      return c.json(
        controlFailure('not_found', 'No response key with this id for this merchant.'),
        404,
      );
    return c.body(null, 204);
  });

  return app;
}
