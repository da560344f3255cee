import type { MleFailure } from '../mle/refusal.ts';

/** What message-level encryption did on a request; never its plaintext. */
export interface MleNote {
  /** The body arrived as `{"encryptedRequest"}` and was decrypted. */
  requestDecrypted?: true;
  /** The JWT named this response key (`v-c-response-mle-kid`). */
  responseKid?: string;
  /** The answer was encrypted to that key. */
  responseEncrypted?: true;
  /** Refused before processing, for this reason (the answer names only the field). */
  refused?: MleFailure;
}

export interface LoggedRequest {
  method: string;
  path: string;
  /** HTTP status answered; 0 when no answer was sent (timeout or reset fault). */
  status: number;
  /** ISO time the answer was decided. */
  at: string;
  fault?: string;
  /** Present when the request used message-level encryption or was refused for it. */
  mle?: MleNote;
}

/** Oldest-first log of REST requests, for tests to count upstream calls. */
export class RequestLog {
  #entries: LoggedRequest[] = [];
  static readonly MAX = 50_000;

  add(entry: LoggedRequest): void {
    this.#entries.push(entry);
    if (this.#entries.length > RequestLog.MAX)
      this.#entries.splice(0, this.#entries.length - RequestLog.MAX);
  }

  list(): readonly LoggedRequest[] {
    return this.#entries;
  }

  clear(): void {
    this.#entries = [];
  }
}
