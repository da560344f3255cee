/**
 * @module The widget's events (DESIGN.md "Widget"): each one goes to its option callback and,
 * as a bubbling `checkout:*` CustomEvent, to the container.
 */

export type EventName = 'Ready' | 'Change' | 'Success' | 'Error';

/**
 * `Ready` → `onReady` and `checkout:ready`. `opts` may be unparsed (a mistake in the options is
 * reported too), so only a function is called; a callback that throws must not break the checkout.
 */
export function fire(root: HTMLElement, opts: object, name: EventName, detail: unknown): void {
  const fn = (opts as Record<string, unknown>)[`on${name}`];
  try {
    if (typeof fn === 'function') fn(detail);
  } catch (e) {
    console.error(e);
  }
  root.dispatchEvent(new CustomEvent(`checkout:${name.toLowerCase()}`, { detail, bubbles: true }));
}
