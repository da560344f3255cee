/**
 * @module `npm start`: emulator + stub + demo page in one command (see launch.ts).
 *
 * With no CyberSource configuration the stub talks to the embedded emulator (EMULATOR_PORT,
 * default 4010) with CyberSource's sample credentials and message-level encryption both ways
 * (launch.ts `demoMle`). With real sandbox credentials
 * (`CYBERSOURCE_BASE_URL=https://apitest.cybersource.com` and the three key variables) no
 * emulator is started and the same page runs against CyberSource.
 */
import { EmulatorConfigError } from '../emulator/config.ts';
import { ConfigError } from '../server-stub/config/env.ts';
import { DataDirLocked } from '../server-stub/store/index.ts';
import { adminTokenLines, testCardLines } from './banner.ts';
import { launchDemo } from './launch.ts';

const out = (line = '') => process.stdout.write(`${line}\n`);

try {
  out('Building the widget and starting…');
  const demo = await launchDemo();
  if (demo.emulator) out(`CyberSource emulator  ${demo.emulator.config.publicUrl}`);
  out(`Demo shop             ${demo.url}/`);
  if (demo.mle)
    out('Message-level encryption on both ways, required by the emulator (DEMO_MLE=false: off)');
  out();
  // A token from the environment is the merchant's own secret: not echoed to the terminal.
  for (const line of adminTokenLines(demo.mode, demo.adminToken, demo.adminTokenGenerated))
    out(line);
  out();
  for (const line of testCardLines(demo.mode)) out(line);
  out('Press Ctrl+C to stop.');
  // The temporary database folder goes with the demo. A signal delivered twice at once (the
  // terminal's to the process group and a parent's relay) must not end the process half-way
  // through that; one pressed again a second later quits at once.
  let stoppedAt: number | undefined;
  const stop = () => {
    if (stoppedAt === undefined) {
      stoppedAt = Date.now();
      void demo.close().then(() => process.exit(0));
    } else if (Date.now() - stoppedAt > 1000) process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
  console.error(
    err instanceof ConfigError || err instanceof EmulatorConfigError || err instanceof DataDirLocked
      ? err.message
      : inUse
        ? `${(err as Error).message}: is the demo already running? Stop it, or set PORT and EMULATOR_PORT.`
        : err,
  );
  process.exit(1);
}
