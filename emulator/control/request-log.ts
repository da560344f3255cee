export interface LoggedRequest {
  method: string;
  path: string;
  /** HTTP status answered; 0 when no answer was sent (timeout or reset fault). */
  status: number;
  /** ISO time the answer was decided. */
  at: string;
  fault?: string;
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
