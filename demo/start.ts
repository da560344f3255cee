/**
 * @module `npm start`: the local CyberSource emulator on EMULATOR_PORT (default 4010).
 */
import { configFromEnv } from '../emulator/config.ts';
import { startEmulator } from '../emulator/server.ts';

const { port, config } = configFromEnv(process.env);
const emulator = await startEmulator({ port, config });
console.warn(`CyberSource emulator: ${emulator.url}`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
