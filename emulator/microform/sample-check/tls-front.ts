/**
 * TLS front for the sample compatibility check: https://apitest.cybersource.com on
 * 127.0.0.1:443 (a self-signed certificate the sample trusts through NODE_EXTRA_CA_CERTS)
 * forwarding to the emulator over plain HTTP, Host header untouched (the SDK signs it).
 *
 * Usage: EMULATOR_PORT=4610 CERT_DIR=/tmp/mf-sample/tls npx tsx emulator/microform/sample-check/tls-front.ts
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:https';
import { join } from 'node:path';

const port = Number(process.env.EMULATOR_PORT ?? 4010);
const dir = process.env.CERT_DIR ?? '.';
const tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };

createServer(tls, (req, res) => {
  const upstream = request(
    { host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
}).listen(443, '127.0.0.1', () => console.warn(`TLS front on 127.0.0.1:443 -> emulator :${port}`));
