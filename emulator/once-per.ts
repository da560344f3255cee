/**
 * @module A value made once per owner (an emulator's store), on first need: concurrent first
 * calls share one making, and a making that failed is forgotten so the next call tries again
 * instead of every later one failing. The capture-context signing key and the request-MLE key
 * are made this way.
 */
export class OncePer<Owner extends object, T> {
  readonly #made = new WeakMap<Owner, Promise<T>>();

  get(owner: Owner, make: () => Promise<T>): Promise<T> {
    let value = this.#made.get(owner);
    if (!value) {
      value = make();
      this.#made.set(owner, value);
      value.catch(() => this.#made.delete(owner));
    }
    return value;
  }
}
