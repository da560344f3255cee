/**
 * Issue 2 baseline: signed sale requests per second against the emulator over loopback HTTP,
 * at several concurrency levels. Each request is signed the way the official SDK signs
 * (fresh date, digest, HMAC), so the figure includes the client's signing cost too.
 */
import { signRequest } from '../cybersource/auth/index.ts';
import { SAMPLE_MERCHANT } from '../emulator/config.ts';
import { startChildEmulator } from './child-emulator.ts';

export interface ThroughputRow {
  concurrency: number;
  requests: number;
  seconds: number;
  perSecond: number;
  failures: number;
}

function saleBody(n: number): string {
  return JSON.stringify({
    clientReferenceInformation: { code: `bench-${n}` },
    processingInformation: { capture: true },
    paymentInformation: {
      card: {
        number: '4111111111111111',
        expirationMonth: '12',
        expirationYear: '2031',
        securityCode: '123',
      },
    },
    orderInformation: { amountDetails: { totalAmount: '10.00', currency: 'USD' } },
  });
}

async function sale(url: string, n: number): Promise<boolean> {
  const body = saleBody(n);
  const headers = signRequest({
    method: 'POST',
    target: '/pts/v2/payments',
    host: new URL(url).host,
    date: new Date().toUTCString(),
    merchantId: SAMPLE_MERCHANT.merchantId,
    keyId: SAMPLE_MERCHANT.keyId,
    secretBase64: SAMPLE_MERCHANT.secretBase64,
    body,
  });
  const res = await fetch(`${url}/pts/v2/payments`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
  });
  const json = (await res.json()) as { status?: string };
  return res.status === 201 && json.status === 'AUTHORIZED';
}

export async function benchEmulatorThroughput(
  levels: readonly number[] = [1, 8, 32],
  requestsPerLevel = 2000,
): Promise<ThroughputRow[]> {
  const emulator = await startChildEmulator();
  const rows: ThroughputRow[] = [];
  try {
    for (let i = 0; i < 50; i++) await sale(emulator.url, -i); // warm-up: JIT, keep-alive sockets
    for (const concurrency of levels) {
      let next = 0;
      let failures = 0;
      const start = performance.now();
      const worker = async () => {
        while (next < requestsPerLevel) {
          const n = next++;
          if (!(await sale(emulator.url, n))) failures++;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      const seconds = (performance.now() - start) / 1000;
      rows.push({
        concurrency,
        requests: requestsPerLevel,
        seconds,
        perSecond: requestsPerLevel / seconds,
        failures,
      });
    }
  } finally {
    await emulator.stop();
  }
  return rows;
}
