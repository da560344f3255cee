/** In-memory tms state of the emulator. */
export class TmsStore {
  reset(): void {}
}
