/**
 * @module The `responseStatus` error body of `POST /flex/v2/tokens` (API-FACTS §5.4), shared
 * by the tokens endpoint and the control API's minting.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type {
  TokensErrorBody,
  TokensErrorDetail,
  TokensErrorReason,
} from '../../cybersource/microform-sessions/tokens.ts';
import { responseStatus } from './response-status.ts';

export interface TokensFailure {
  status: ContentfulStatusCode;
  body: TokensErrorBody;
}

export function tokensFailure(
  correlationId: string,
  reason: TokensErrorReason,
  message: string,
  details?: TokensErrorDetail[],
  status: ContentfulStatusCode = 400,
): TokensFailure {
  return {
    status,
    body: { responseStatus: responseStatus(correlationId, status, reason, message, details) },
  };
}
