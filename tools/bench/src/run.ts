// pnpm bench: prints one table per measurement. Run after `turbo run build` (the root script does).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSdks, sdkFactoryName } from '@carrier-api/sdk-gen';
import { clientFactoryName } from '@carrier-api/client-gen';
import { listBundledApis } from '@carrier-api/specs';
import { bundleSize } from './bundle-size.ts';
import { compareMockThroughput, timeUntilMocksAnswer } from './mock-throughput.ts';
import { requestOverhead, type OverheadPath } from './request-overhead.ts';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const apis = listBundledApis().map((api) => api.name);

console.log('\n## Bundle size (esbuild, minified; gzip)\n');
const baseline = await bundleSize("import createClient from 'openapi-fetch'; console.log(createClient);");
const sizes = [{ bundle: 'openapi-fetch alone', minified: kb(baseline.minified), gzip: kb(baseline.gzip), 'gzip vs openapi-fetch': '' }];
for (const api of apis) {
  for (const [flavour, pkg, factory] of [
    ['client', `@carrier-api/${api}`, clientFactoryName(api)],
    ['SDK', `@carrier-api/${api}-sdk`, sdkFactoryName(api)],
  ] as const) {
    const size = await bundleSize(`import { ${factory} } from '${pkg}'; console.log(${factory});`);
    sizes.push({ bundle: `${pkg} (${flavour})`, minified: kb(size.minified), gzip: kb(size.gzip), 'gzip vs openapi-fetch': `+${kb(size.gzip - baseline.gzip)}` });
  }
}
console.table(sizes);

/** The light client's per-request overhead over raw fetch the project holds itself to, in µs (wall, median). */
const LIGHT_CLIENT_GOAL_MICROS = 25;

console.log('\n## Per-request overhead on loopback (median of 16 interleaved rounds of 250 sequential GETs)\n');
const overhead = await requestOverhead();
const row = (path: string, key: OverheadPath) => {
  const wall = overhead.micros[key];
  const cpu = overhead.cpuMicros[key];
  const rawWall = overhead.micros['raw fetch'];
  const rawCpu = overhead.cpuMicros['raw fetch'];
  return {
    path,
    'wall µs': wall.toFixed(1),
    'wall over raw': key === 'raw fetch' ? '' : `${(wall - rawWall).toFixed(1)} µs (${(((wall - rawWall) / rawWall) * 100).toFixed(1)} %)`,
    'CPU µs': cpu.toFixed(1),
    'CPU over raw': key === 'raw fetch' ? '' : `${(cpu - rawCpu).toFixed(1)} µs`,
    goal: key === 'light client' ? `≤ ${LIGHT_CLIENT_GOAL_MICROS} µs wall: ${wall - rawWall <= LIGHT_CLIENT_GOAL_MICROS ? 'met' : 'NOT met'}` : '',
  };
};
console.table([
  row('raw fetch', 'raw fetch'),
  row('openapi-fetch alone (no runtime)', 'openapi-fetch alone'),
  row('createPackagesClient (openapi-fetch + runtime)', 'light client'),
  row('createPackagesSdk (typescript-fetch + runtime)', 'SDK'),
]);

console.log('\n## SDK generation: one openapi-generator run (its own JVM) per API, as many at once as there are cores\n');
const out = mkdtempSync(join(tmpdir(), 'bench-sdks-'));
const started = performance.now();
await generateSdks(out);
console.table([{ SDKs: apis.length, seconds: ((performance.now() - started) / 1000).toFixed(1) }]);
rmSync(out, { recursive: true, force: true });

console.log('\n## Mocks\n');
console.table([{ measurement: `startMock() until all ${apis.length} APIs answer`, ms: (await timeUntilMocksAnswer()).toFixed(0) }]);
const { ours, prism } = await compareMockThroughput();
console.table([
  { server: '@carrier-api/mock (centili-packages)', 'req/s': ours.requestsPerSecond.toFixed(0), 'p50 ms': ours.p50Ms, 'p99 ms': ours.p99Ms, non2xx: ours.non2xx },
  { server: 'prism mock (same bundle)', 'req/s': prism.requestsPerSecond.toFixed(0), 'p50 ms': prism.p50Ms, 'p99 ms': prism.p99Ms, non2xx: prism.non2xx },
]);
await (await import('./sandbox-throughput.ts')).printSandboxThroughput();
await (await import('./in-process-latency.ts')).printInProcessLatency();
await (await import('./spec-review-time.ts')).printSpecReviewTime();
