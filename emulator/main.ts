/**
 * @module `npm run emulator`: the local CyberSource sandbox on EMULATOR_PORT (default 4010).
 */
import { configFromEnv } from './config.ts';
import { startEmulator } from './server.ts';

try {
  const { port, config } = configFromEnv(process.env);
  const running = await startEmulator({ port, hostname: '127.0.0.1', config });
  console.warn(`CyberSource emulator listening on ${running.url} (public URL ${config.publicUrl})`);
  console.warn(`Sample merchant: ${config.keys[0]?.merchantId} / key ${config.keys[0]?.keyId}`);
  // Printed, not written: the key is made on first need, and a file in the working folder would
  // be a side effect of starting. The merchant downloads it, as from the Business Center.
  console.warn(
    `MLE request certificate (mleForRequestPublicCertPath): curl ${running.url}/__emulator/mle/request-certificate > cybersource-mle.crt`,
  );
  const stop = () => void running.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
