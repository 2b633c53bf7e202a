import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPackagesClient } from '@carrier-api/centili-packages';

/**
 * Mean time per sequential GET on loopback: raw fetch against the same request through a light
 * client (auth header, operation matching, retry bookkeeping). Bounded: `requests` each.
 */
export async function requestOverhead(requests = 2000): Promise<{ rawMicros: number; clientMicros: number }> {
  const body = JSON.stringify([{ country: 'rs', operatorCode: 'RS_MTS', packages: [] }]);
  const server = createServer((_, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const path = '/payments/v3/services/packages?serviceKey=f31a355df6dad07e49ba474db7ff9b07&country=es';
  const client = createPackagesClient({ baseUrl: base, auth: { accessToken: 'bench-token' } });

  const round = async (send: () => Promise<unknown>, count: number) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await send();
    return Number(process.hrtime.bigint() - started) / 1000;
  };
  const raw = async () => (await fetch(`${base}${path}`, { headers: { Authorization: 'Bearer bench-token' } })).json();
  const viaClient = () => client.GET('/payments/v3/services/packages', { params: { query: { serviceKey: 'f31a355df6dad07e49ba474db7ff9b07', country: 'es' } } });
  await round(raw, 200); // warm-up of both paths: connection pool, JIT
  await round(viaClient, 200);
  // Interleaved rounds, so that neither path profits from running later.
  const rounds = 8;
  let rawTotal = 0;
  let clientTotal = 0;
  for (let i = 0; i < rounds; i++) {
    rawTotal += await round(raw, requests / rounds);
    clientTotal += await round(viaClient, requests / rounds);
  }
  const rawMicros = rawTotal / requests;
  const clientMicros = clientTotal / requests;
  await new Promise((resolve) => server.close(resolve));
  return { rawMicros, clientMicros };
}
