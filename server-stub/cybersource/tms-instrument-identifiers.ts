/**
 * @module `GET /tms/v1/instrumentidentifiers/{id}` (API-FACTS §3.3): the card behind saved
 * instruments. The same card always has the same identifier, which is how we never save a card
 * twice (DESIGN.md flow table).
 */
import { InstrumentIdentifier } from '../../cybersource/tms/instrument-identifiers/index.ts';
import type { CyberSourceClient } from './client.ts';
import { failureFor, guarded, parseAnswer } from './responses.ts';

export async function getInstrumentIdentifier(
  client: CyberSourceClient,
  id: string,
  requestId?: string,
): Promise<InstrumentIdentifier> {
  const result = await guarded(() =>
    client.call({
      method: 'GET',
      path: `/tms/v1/instrumentidentifiers/${encodeURIComponent(id)}`,
      ...(requestId === undefined ? {} : { requestId }),
    }),
  );
  if (result.status !== 200) throw failureFor(result);
  return parseAnswer(result, InstrumentIdentifier);
}
