/**
 * @module A Microform field as the merchant page sees it: an iframe on the emulator's origin.
 *
 * The page only ever holds the iframe element and the non-sensitive notifications the iframe
 * chooses to send (API-FACTS §5.4 events); the input itself lives in the iframe.
 */
import type { CaptureContext } from '../shared/capture-context.ts';
import { MicroformError, microformError, parseErrorData } from '../shared/errors.ts';
import type { Json } from '../shared/guards.ts';
import {
  type Command,
  envelope,
  FIELD_PAGE_PATH,
  type FieldBoot,
  type FieldEvent,
  type FieldType,
  isFieldEvent,
  parseNotification,
} from '../shared/messages.ts';
import { randomId } from './random-id.ts';

export type Listener = (data?: unknown) => void;

/** What a field needs from its microform. */
export interface FieldHost {
  context: CaptureContext;
  microformId: string;
  microformOptions: Json;
  release(type: FieldType): void;
}

export interface TokenizeAnswer {
  token?: unknown;
  error?: unknown;
}

/** CSS classes the container gets, as the real library sets them. */
const CLASS = {
  loaded: 'flex-microform',
  focused: 'flex-microform-focused',
  valid: 'flex-microform-valid',
  invalid: 'flex-microform-invalid',
  disabled: 'flex-microform-disabled',
  autocomplete: 'flex-microform-autocomplete',
} as const;

export class Field {
  readonly #host: FieldHost;
  readonly #type: FieldType;
  #options: Json;
  readonly #listeners = new Map<FieldEvent, Set<Listener>>();
  readonly #pendingTokenize = new Map<string, (answer: TokenizeAnswer) => void>();
  #fieldId = randomId();
  #container: HTMLElement | undefined;
  #iframe: HTMLIFrameElement | undefined;
  /** The iframe said `load`: it accepted the page's origin and is listening. */
  #ready = false;
  /** Commands sent before `load` would be lost; they wait here. */
  #queue: [Command, Json][] = [];
  #disposed = false;

  constructor(host: FieldHost, type: FieldType, options: Json) {
    this.#host = host;
    this.#type = type;
    this.#options = options;
  }

  get type(): FieldType {
    return this.#type;
  }

  /** Loaded and answering: createToken may use it. */
  get isReady(): boolean {
    return this.#ready;
  }

  load(container: unknown): void {
    this.#assertAlive();
    if (this.#iframe) throw microformError('FIELD_ALREADY_LOADED');
    const element = resolveContainer(container);
    const boot: FieldBoot = {
      microformId: this.#host.microformId,
      fieldId: this.#fieldId,
      fieldType: this.#type,
      captureContext: this.#host.context.jwt,
      parentOrigin: window.location.origin,
      microformOptions: this.#host.microformOptions,
      fieldOptions: this.#options,
    };
    const iframe = document.createElement('iframe');
    iframe.src = `${this.#host.context.mfOrigin}${FIELD_PAGE_PATH}#${encodeURIComponent(JSON.stringify(boot))}`;
    iframe.name = `microform-${this.#type}-${this.#fieldId}`;
    iframe.title =
      this.#type === 'number' ? 'Secure card number input frame' : 'Secure CVN input frame';
    iframe.setAttribute('frameborder', '0');
    iframe.setAttribute('scrolling', 'no');
    iframe.style.cssText = 'width:100%;height:100%;border:0;margin:0;padding:0;overflow:hidden;';
    window.addEventListener('message', this.#onMessage);
    this.#container = element;
    this.#iframe = iframe;
    element.appendChild(iframe);
  }

  unload(): void {
    this.#assertAlive();
    if (!this.#iframe) throw microformError('FIELD_UNLOAD_ERROR');
    this.#detach();
    this.#emit('unload');
  }

  clear(): void {
    this.#send('clear');
  }

  focus(): void {
    this.#iframe?.focus();
    this.#send('focus');
  }

  update(options: unknown): void {
    this.#assertAlive();
    if (typeof options !== 'object' || options === null) return;
    const copy = cloneOptions(options);
    this.#options = { ...this.#options, ...copy };
    this.#send('update', copy);
  }

  dispose(): void {
    if (this.#disposed) return;
    if (this.#iframe) this.#detach();
    this.#listeners.clear();
    this.#disposed = true;
    this.#host.release(this.#type);
  }

  on(type: unknown, listener: unknown): void {
    if (!isFieldEvent(type)) throw microformError('FIELD_SUBSCRIBE_UNSUPPORTED_EVENT');
    if (!isListener(listener)) throw microformError('FIELD_SUBSCRIBE_INVALID_CALLBACK');
    const set = this.#listeners.get(type) ?? new Set<Listener>();
    set.add(listener);
    this.#listeners.set(type, set);
  }

  off(type: unknown, listener: unknown): void {
    if (!isFieldEvent(type)) throw microformError('FIELD_SUBSCRIBE_UNSUPPORTED_EVENT');
    if (!isListener(listener)) throw microformError('FIELD_SUBSCRIBE_INVALID_CALLBACK');
    this.#listeners.get(type)?.delete(listener);
  }

  /** Asks this field's iframe to tokenize; `answer` gets exactly one call. */
  tokenize(requestId: string, request: Json, answer: (a: TokenizeAnswer) => void): boolean {
    if (!this.#ready || !this.#iframe?.contentWindow) return false;
    this.#pendingTokenize.set(requestId, answer);
    this.#send('tokenize', { ...request, requestId });
    return true;
  }

  cancelTokenize(requestId: string): void {
    this.#pendingTokenize.delete(requestId);
  }

  #assertAlive(): void {
    if (this.#disposed) throw new Error('This field has been disposed.');
  }

  #send(command: Command, data: Json = {}): void {
    if (this.#disposed || !this.#iframe) return;
    if (!this.#ready) {
      this.#queue.push([command, data]);
      return;
    }
    // Target origin pinned: the browser drops it if the frame navigated elsewhere.
    this.#iframe.contentWindow?.postMessage(
      envelope(this.#fieldId, command, data),
      this.#host.context.mfOrigin,
    );
  }

  #detach(): void {
    window.removeEventListener('message', this.#onMessage);
    this.#iframe?.remove();
    this.#container?.classList.remove(...Object.values(CLASS));
    for (const answer of this.#pendingTokenize.values()) {
      answer({ error: { reason: 'CREATE_TOKEN_NO_FIELDS_LOADED', message: 'Field unloaded.' } });
    }
    this.#pendingTokenize.clear();
    this.#iframe = undefined;
    this.#container = undefined;
    this.#ready = false;
    this.#queue = [];
    // A new id per load, so a late message from the old iframe is ignored.
    this.#fieldId = randomId();
  }

  readonly #onMessage = (event: MessageEvent): void => {
    // Only our own iframe, on the emulator's origin, may talk to this field.
    if (event.origin !== this.#host.context.mfOrigin) return;
    if (!this.#iframe || event.source !== this.#iframe.contentWindow) return;
    const message = parseNotification(event.data);
    if (!message || message.fieldId !== this.#fieldId) return;
    const { data } = message;
    switch (message.event) {
      case 'load':
        this.#ready = true;
        this.#container?.classList.add(CLASS.loaded);
        for (const [command, payload] of this.#queue.splice(0)) this.#send(command, payload);
        this.#emit('load');
        return;
      case 'change':
        this.#toggle(CLASS.valid, data.valid === true);
        this.#toggle(CLASS.invalid, data.couldBeValid === false && data.empty !== true);
        this.#emit('change', data);
        return;
      case 'focus':
        this.#toggle(CLASS.focused, true);
        this.#emit('focus', data);
        return;
      case 'blur':
        this.#toggle(CLASS.focused, false);
        this.#emit('blur', data);
        return;
      case 'update':
        this.#toggle(CLASS.disabled, data.disabled === true);
        this.#emit('update', data);
        return;
      case 'autocomplete':
        this.#toggle(CLASS.autocomplete, true);
        this.#emit('autocomplete', data);
        return;
      case 'inputSubmitRequest':
        this.#emit('inputSubmitRequest');
        return;
      case 'error':
        this.#reportError(data.error);
        return;
      case 'tokenizeResult':
        this.#answerTokenize(data);
        return;
    }
  };

  #answerTokenize(data: Json): void {
    const id = typeof data.requestId === 'string' ? data.requestId : '';
    const answer = this.#pendingTokenize.get(id);
    if (!answer) return;
    this.#pendingTokenize.delete(id);
    answer({ token: data.token, error: data.error });
  }

  #reportError(raw: unknown): void {
    const parsed = parseErrorData(raw);
    const error = new MicroformError(
      parsed ?? { reason: 'UNKNOWN_REASON', message: 'Unknown error.' },
    );
    if ((this.#listeners.get('error')?.size ?? 0) === 0)
      console.error(`MicroformError: ${error.message}`);
    this.#emit('error', error);
  }

  #toggle(name: string, on: boolean): void {
    this.#container?.classList.toggle(name, on);
  }

  #emit(type: FieldEvent, data?: unknown): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        listener(data);
      } catch (err) {
        // A throwing merchant listener must not break the field.
        setTimeout(() => {
          throw err;
        });
      }
    }
  }
}

function isListener(value: unknown): value is Listener {
  return typeof value === 'function';
}

function resolveContainer(container: unknown): HTMLElement {
  if (typeof container === 'string') {
    let found: Element | null = null;
    try {
      found = document.querySelector(container);
    } catch {
      found = null;
    }
    if (!(found instanceof HTMLElement)) throw microformError('FIELD_LOAD_CONTAINER_SELECTOR');
    return found;
  }
  if (container instanceof HTMLElement) return container;
  throw microformError('FIELD_LOAD_INVALID_CONTAINER');
}

/** A structured-clone-safe copy of merchant options (drops functions and DOM nodes). */
export function cloneOptions(options: object): Json {
  try {
    const copy: unknown = JSON.parse(JSON.stringify(options));
    return typeof copy === 'object' && copy !== null && !Array.isArray(copy) ? { ...copy } : {};
  } catch {
    return {};
  }
}
