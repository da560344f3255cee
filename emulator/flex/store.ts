/** In-memory flex state of the emulator. */
export class FlexStore {
  reset(): void {}
}
