/** In-memory payments state of the emulator. */
export class PaymentsStore {
  reset(): void {}
}
