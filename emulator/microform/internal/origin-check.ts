/**
 * @module Is the embedding page allowed to use this capture context?
 *
 * The real iframe refuses to run when the embedding origin is not in `targetOrigins`
 * (API-FACTS §5.2, MF011), and for nested frames every browser context must be listed
 * (RELIABILITY-FACTS §3.1). Chromium and Safari give the chain in `location.ancestorOrigins`;
 * elsewhere the library's claimed origin is used, which is safe because every message to the
 * parent is posted with that origin as its target, so a false claim only silences the field.
 */

export type OriginCheck =
  | { ok: true; parentOrigin: string }
  | { ok: false; offending: string[]; message: string };

export function checkEmbeddingOrigins(
  targetOrigins: readonly string[],
  ancestorOrigins: readonly string[] | undefined,
  claimedParentOrigin: string,
): OriginCheck {
  const chain =
    ancestorOrigins && ancestorOrigins.length > 0 ? ancestorOrigins : [claimedParentOrigin];
  const offending = chain.filter((origin) => !targetOrigins.includes(origin));
  const parentOrigin = chain[0];
  if (offending.length === 0 && parentOrigin !== undefined) return { ok: true, parentOrigin };
  const list = offending.length > 0 ? offending : ['(unknown)'];
  return {
    ok: false,
    offending: list,
    message:
      `Microform refused to load: the page origin ${list.join(', ')} is not in the capture ` +
      `context's targetOrigins [${targetOrigins.join(', ')}]. Add it to targetOrigins when ` +
      `requesting the capture context (the merchant's "Additional Supported Sites").`,
  };
}
