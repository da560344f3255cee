/**
 * `npm run bench`: every figure the issues ask for, measured side by side in one run on this
 * machine. Read ratios, not absolute numbers: these machines are shared and noisy.
 */
import { benchEmulatorThroughput } from './emulator-throughput.ts';

const out = (line = '') => process.stdout.write(`${line}\n`);

out('## Emulator throughput: signed sales over loopback HTTP (issue 2)');
out('| concurrency | requests | seconds | requests/s | failures |');
out('|---:|---:|---:|---:|---:|');
for (const r of await benchEmulatorThroughput()) {
  out(
    `| ${r.concurrency} | ${r.requests} | ${r.seconds.toFixed(2)} | ${r.perSecond.toFixed(0)} | ${r.failures} |`,
  );
}
