/**
 * @module createToken inside the leading field iframe (API-FACTS §5.4).
 *
 * Order, as in MF011: gather every loaded field's snapshot over the peer channel, validate the
 * parameters (CREATE_TOKEN_VALIDATION_PARAMS), then the fields (CREATE_TOKEN_VALIDATION_FIELDS),
 * then encrypt and post. Only the token or an error goes back to the page.
 */
import type { CaptureContext } from '../shared/capture-context.ts';
import { errorData, type MicroformErrorData } from '../shared/errors.ts';
import { isRecord, isStringArray, type Json } from '../shared/guards.ts';
import { type FieldType, isFieldType } from '../shared/messages.ts';
import { encryptJwe } from './jwe.ts';
import type { Peers, Snapshot } from './peers.ts';
import { postTokens } from './tokens-request.ts';

/** MF011 waits 500 ms for the other fields; doubled here for loaded CI machines. */
const COLLECT_TIMEOUT_MS = 1000;

/** createToken parameter rules (MF011). */
const PARAM_RULES: Record<string, RegExp> = {
  expirationMonth: /^(0[1-9]|1[0-2])$/,
  expirationYear: /^(20[1-9][0-9])$/,
  type: /^(00[1-9]|0[1-9][0-9]|[1-9][0-9][0-9])$/,
};

export type TokenizeOutcome = { token: string } | { error: MicroformErrorData };

export async function tokenize(
  request: Json,
  context: CaptureContext,
  own: Snapshot,
  peers: Peers,
): Promise<TokenizeOutcome> {
  const fields = new Set<FieldType>(
    isStringArray(request.fields) ? request.fields.filter(isFieldType) : [],
  );
  if (fields.size === 0) return { error: errorData('CREATE_TOKEN_NO_FIELDS') };
  const params = isRecord(request.options) ? request.options : {};

  const snapshots = await collect(fields, own, peers);
  const missing = [...fields].filter((f) => !snapshots.has(f)).sort();
  if (missing.length > 0) {
    return { error: errorData('CREATE_TOKEN_TIMEOUT', { details: { fields: missing } }) };
  }

  const badParams = Object.keys(PARAM_RULES)
    .filter((key) => params[key] !== undefined && !PARAM_RULES[key]?.test(String(params[key])))
    .sort();
  if (badParams.length > 0) {
    return {
      error: errorData('CREATE_TOKEN_VALIDATION_PARAMS', { details: validationDetails(badParams) }),
    };
  }
  const badFields = [...snapshots.values()]
    .filter((s) => !s.valid)
    .map((s) => s.field)
    .sort();
  if (badFields.length > 0) {
    return {
      error: errorData('CREATE_TOKEN_VALIDATION_FIELDS', { details: validationDetails(badFields) }),
    };
  }

  // Parameters last: an explicit `type` overrides the detected brand (MF011).
  const data: Record<string, string> = {};
  for (const s of snapshots.values()) Object.assign(data, s.data);
  for (const key of Object.keys(PARAM_RULES)) {
    if (typeof params[key] === 'string') data[key] = params[key];
  }
  let jwe: string;
  try {
    jwe = await encryptJwe(
      JSON.stringify({ data, context: context.jwt, index: context.index }),
      context.jwk,
    );
  } catch {
    return { error: errorData('BROWSER_ENCRYPTION_FAILED') };
  }
  return postTokens(context.tokensUrl, jwe);
}

function validationDetails(locations: string[]): { message: string; location: string }[] {
  return locations.map((location) => ({ message: 'Validation error', location }));
}

function collect(
  fields: Set<FieldType>,
  own: Snapshot,
  peers: Peers,
): Promise<Map<FieldType, Snapshot>> {
  const snapshots = new Map<FieldType, Snapshot>();
  if (fields.has(own.field)) snapshots.set(own.field, own);
  if ([...fields].every((f) => snapshots.has(f))) return Promise.resolve(snapshots);
  const tokenizationId = crypto.getRandomValues(new Uint32Array(4)).join('-');
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve(snapshots);
    };
    const timer = setTimeout(finish, COLLECT_TIMEOUT_MS);
    const unsubscribe = peers.subscribe((message) => {
      if (message.topic !== 'collected' || message.tokenizationId !== tokenizationId) return;
      const { snapshot } = message;
      if (fields.has(snapshot.field) && !snapshots.has(snapshot.field))
        snapshots.set(snapshot.field, snapshot);
      if ([...fields].every((f) => snapshots.has(f))) finish();
    });
    peers.publish({ topic: 'dataCollect', tokenizationId });
  });
}
