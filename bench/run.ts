/**
 * `npm run bench`: every figure the issues ask for, measured side by side in one run on this
 * machine. Read ratios, not absolute numbers: these machines are shared and noisy.
 */
import { benchEmulatorThroughput } from './emulator-throughput.ts';
import { benchMicroform } from './microform.ts';

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
