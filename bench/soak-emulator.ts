/**
 * The emulator for `bench/memory-soak.ts`, in its own process: like `npm run emulator`, but its
 * one-time RSA keys come from a small bank handed out round and round. The real pool makes about
 * five keys a second, and a soak of thousands of checkouts would measure that; the stub never
 * sees two sessions' keys side by side, so reusing them changes nothing it does. Prints the URL
 * on stderr as `npm run emulator` does (`child-emulator.ts` reads it).
 */
import { generateKeyPairAsync, type RsaKeyPair } from '../emulator/flex/key-pool.ts';
import { startEmulator } from '../emulator/server.ts';

const BANK = 8;
const bank: RsaKeyPair[] = await Promise.all(Array.from({ length: BANK }, generateKeyPairAsync));
let next = 0;
const running = await startEmulator({
  port: 0,
  keys: async () => bank[next++ % BANK] as RsaKeyPair,
});
console.warn(`CyberSource emulator listening on ${running.url}`);
const stop = () => void running.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
