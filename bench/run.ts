/**
 * `npm run bench`: every figure the issues ask for, measured side by side in one run on this
 * machine. Read ratios, not absolute numbers: these machines are shared and noisy.
 */
import { benchEmulatorThroughput } from './emulator-throughput.ts';
import { benchMicroform } from './microform.ts';
import { benchStubLatency } from './stub-latency.ts';

const out = (line = '') => process.stdout.write(`${line}\n`);

out('## Emulator throughput: signed sales over loopback HTTP (issue 2)');
out('| concurrency | requests | seconds | requests/s | failures |');
out('|---:|---:|---:|---:|---:|');
for (const r of await benchEmulatorThroughput()) {
  out(
    `| ${r.concurrency} | ${r.requests} | ${r.seconds.toFixed(2)} | ${r.perSecond.toFixed(0)} | ${r.failures} |`,
  );
}

out();
out('## Microform in headless Chromium (issue 3)');
const mf = await benchMicroform();
out('| figure | median (ms) |');
out('|---|---:|');
out(`| \`new Flex()\` → both fields' \`load\` | ${mf.loadMs.toFixed(1)} |`);
out(`| \`createToken\` → transient token | ${mf.tokenMs.toFixed(1)} |`);
out(`(${mf.runs} runs each, after one warm-up)`);

out();
out('## Server stub: latency in upstream round trips, and throughput (issue 4)');
const stub = await benchStubLatency();
out('| figure | value | target |');
out('|---|---:|---:|');
out(
  `| session latency ÷ 50 ms emulator latency | ${stub.sessionRatio.toFixed(2)} (${stub.sessionMs.toFixed(1)} ms) | ≤ 1.1 |`,
);
out(
  `| pay latency ÷ 50 ms emulator latency | ${stub.payRatio.toFixed(2)} (${stub.payMs.toFixed(1)} ms) | ≤ 1.1 |`,
);
out(
  `| checkouts per second at 0 ms (session + token + pay, 8 concurrent) | ${stub.checkoutsPerSecond.toFixed(1)} | — |`,
);
