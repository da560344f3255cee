/**
 * A scriptable stand-in for CyberSource's Microform v2 library (API-FACTS §5.4): `new Flex(cc)`,
 * `microform({styles})`, `createField`, field `load/on/focus/dispose`, `createToken`. Fields put an
 * stand-in for the iframe in their container like the real ones; tests drive `change`/`blur`/`error` events and
 * script createToken outcomes.
 */
import { FIELD_EVENTS } from '../../emulator/microform/shared/messages.ts';

/** The events a field accepts: Microform's list, shared with the emulated library. */
const EVENTS: readonly string[] = FIELD_EVENTS;

export class FakeField {
  listeners = new Map<string, ((d: unknown) => void)[]>();
  container: HTMLElement | undefined;
  disposed = false;
  constructor(
    readonly world: FlexWorld,
    readonly type: 'number' | 'securityCode',
    readonly options: Record<string, unknown>,
    readonly captureContext: string,
  ) {}

  load(container: unknown): void {
    if (!(container instanceof HTMLElement))
      throw { name: 'MicroformError', reason: 'FIELD_LOAD_INVALID_CONTAINER' };
    this.container = container;
    // The real field is a cross-origin <iframe>; happy-dom cannot load one, so a stand-in marks its place.
    const frame = document.createElement('div');
    frame.className = 'fake-iframe';
    frame.title = String(this.options['aria-label']);
    container.appendChild(frame);
    const refused = this.world.loadError;
    const report = () => (refused ? this.emit('error', refused) : this.emit('load', {}));
    if (this.world.hold === this.type) this.world.held.push(report);
    else setTimeout(report, 0);
  }

  on(event: string, fn: (d: unknown) => void): void {
    if (!EVENTS.includes(event))
      throw { name: 'MicroformError', reason: 'FIELD_SUBSCRIBE_UNSUPPORTED_EVENT' };
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
  }

  emit(event: string, data: unknown = {}): void {
    for (const fn of this.listeners.get(event) ?? []) fn(data);
  }

  focus(): void {
    this.world.focused.push(this.type);
  }

  /** Microform's `field.update(options)`: merged into the options, as the real one does. */
  update(options: Record<string, unknown>): void {
    if (this.disposed) throw { name: 'MicroformError', reason: 'FIELD_ALREADY_DISPOSED' };
    Object.assign(this.options, options);
  }

  dispose(): void {
    this.disposed = true;
    this.container?.replaceChildren();
  }
}

export interface TokenScript {
  error?: unknown;
  token?: string;
}

export class FlexWorld {
  contexts: string[] = [];
  styles: unknown[] = [];
  fields: FakeField[] = [];
  focused: string[] = [];
  tokenCalls: { captureContext: string; options: unknown }[] = [];
  /** Set: fields loaded from now on report this error instead of loading. */
  loadError: unknown;
  /** Outcomes for the next createToken calls; default: a fresh token. */
  tokens: TokenScript[] = [];
  /** Set: fields of this type loaded from now on report nothing until `release()`. */
  hold: 'number' | 'securityCode' | undefined;
  /** The reports of the held fields, in order. */
  held: (() => void)[] = [];

  /** Ends the hold: the held fields report their load (or `loadError`) now. */
  release(): void {
    this.hold = undefined;
    for (const report of this.held.splice(0)) report();
  }

  install(): this {
    const world = this;
    class Flex {
      constructor(readonly captureContext: string) {
        world.contexts.push(captureContext);
      }
      microform(options: { styles?: unknown }) {
        world.styles.push(options.styles);
        const cc = this.captureContext;
        const made = new Set<string>();
        return {
          createField(type: 'number' | 'securityCode', opts: Record<string, unknown>) {
            if (made.has(type)) throw { name: 'MicroformError', reason: 'CREATE_FIELD_DUPLICATE' };
            made.add(type);
            const f = new FakeField(world, type, opts, cc);
            world.fields.push(f);
            return f;
          },
          createToken(options: unknown, cb: (err: unknown, token?: string) => void) {
            world.tokenCalls.push({ captureContext: cc, options });
            const next = world.tokens.shift() ?? { token: `transient-${world.tokenCalls.length}` };
            setTimeout(() => cb(next.error ?? null, next.token), 0);
          },
        };
      }
    }
    Reflect.set(window, 'Flex', Flex);
    return this;
  }

  /** The live field of that type (the newest not disposed). */
  field(type: 'number' | 'securityCode'): FakeField {
    const f = this.fields.filter((x) => x.type === type && !x.disposed).at(-1);
    if (!f) throw new Error(`no live ${type} field`);
    return f;
  }

  /** What Microform sends as the shopper types a valid card (co-badged: several entries). */
  typeCard(
    brands: { name: string; cybsCardType: string }[] = [{ name: 'visa', cybsCardType: '001' }],
  ): void {
    this.field('number').emit('change', {
      card: brands,
      valid: true,
      couldBeValid: true,
      empty: false,
    });
    this.field('securityCode').emit('change', { valid: true, couldBeValid: true, empty: false });
  }
}
