/**
 * A one-shot signal between two halves of a test: one side awaits `reached`, the other calls
 * `fire()` (to hold a request at a point until the test has done something else meanwhile).
 */
export function signal(): { reached: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const reached = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { reached, fire };
}
