/**
 * @module `new Flex(captureContext)`: the library's entry point (API-FACTS §5.4).
 */
import { type CaptureContext, isExpired, readCaptureContext } from '../shared/capture-context.ts';
import { microformError } from '../shared/errors.ts';
import { isRecord } from '../shared/guards.ts';
import { cloneOptions } from './field.ts';
import { Microform } from './microform.ts';

/** v2 takes a payment type first (`flex.microform("card", {...})`); only cards are emulated. */
const PAYMENT_TYPES = ['card'];

export class Flex {
  readonly #context: CaptureContext;

  constructor(captureContext: unknown) {
    const read = readCaptureContext(captureContext);
    if (!read.ok) throw microformError('CAPTURE_CONTEXT_INVALID');
    if (isExpired(read.context, Date.now())) throw microformError('CAPTURE_CONTEXT_EXPIRED');
    this.#context = read.context;
  }

  microform(typeOrOptions?: unknown, maybeOptions?: unknown): Microform {
    let options = typeOrOptions;
    if (typeof typeOrOptions === 'string') {
      if (!PAYMENT_TYPES.includes(typeOrOptions)) {
        throw new TypeError(
          `Unsupported payment type "${typeOrOptions}": the emulated Microform supports "card".`,
        );
      }
      options = maybeOptions;
    }
    return new Microform(this.#context, isRecord(options) ? cloneOptions(options) : {});
  }
}
