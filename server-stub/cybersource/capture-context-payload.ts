/**
 * @module The parts of JWT payloads the stub reads: the capture context (`mf-2.0.0`,
 * API-FACTS §5.2) and the transient token (§5.5). Minimal stub-side schemas until
 * `cybersource/microform-sessions/` exports its own (lead to dedupe).
 */
import { z } from 'zod';

export const FlxJwk = z.looseObject({
  kty: z.literal('RSA'),
  n: z.string().min(1),
  e: z.string().min(1),
  kid: z.string().optional(),
  use: z.string().optional(),
});

export const CaptureContextPayload = z.looseObject({
  flx: z.looseObject({ jwk: FlxJwk, origin: z.string().optional(), path: z.string().optional() }),
  ctx: z
    .array(
      z.looseObject({
        type: z.string(),
        data: z.looseObject({
          clientLibrary: z.string().optional(),
          clientLibraryIntegrity: z.string().optional(),
          targetOrigins: z.array(z.string()).optional(),
          allowedCardNetworks: z.array(z.string()).optional(),
        }),
      }),
    )
    .min(1),
  iat: z.number(),
  exp: z.number(),
  jti: z.string().optional(),
});
export type CaptureContextPayload = z.infer<typeof CaptureContextPayload>;

const Valued = z.looseObject({ value: z.string().optional() });

export const TransientTokenPayload = z.looseObject({
  jti: z.string().min(1),
  iat: z.number(),
  exp: z.number(),
  content: z
    .looseObject({
      paymentInformation: z
        .looseObject({
          card: z
            .looseObject({
              number: z
                .looseObject({
                  maskedValue: z.string().optional(),
                  bin: z.string().optional(),
                  detectedCardTypes: z.array(z.string()).optional(),
                })
                .optional(),
              expirationMonth: Valued.optional(),
              expirationYear: Valued.optional(),
              type: Valued.optional(),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});
export type TransientTokenPayload = z.infer<typeof TransientTokenPayload>;
