/**
 * @module The `responseStatus` object of the Flex APIs' error bodies (API-FACTS §4 for
 * `/flex/v1/keys`, §5.4 for `/flex/v2/tokens`): `details` only when there are some.
 */

export interface ResponseStatus<R extends string, D> {
  status: number;
  reason: R;
  message: string;
  correlationId: string;
  details?: D[];
}

export function responseStatus<R extends string, D>(
  correlationId: string,
  status: number,
  reason: R,
  message: string,
  details?: D[],
): ResponseStatus<R, D> {
  return {
    status,
    reason,
    message,
    correlationId,
    ...(details && details.length > 0 ? { details } : {}),
  };
}
