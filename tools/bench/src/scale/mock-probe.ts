// Run by `pnpm bench:scale` inside the copied workspace (its own built @carrier-api/mock and
// bundles): startMock() of every API, then one request to each until all have answered. Prints
// one JSON line. Any HTTP answer counts (a 404 for `/` is an answer): the server is up and
// routing; no sleep stands in for readiness.
const importStarted = performance.now();
const [{ startMock }, { listBundledApis }] = await Promise.all([import('@carrier-api/mock'), import('@carrier-api/specs')]);
const imported = performance.now();
const apis = listBundledApis().map((api) => api.name);
const mock = await startMock({ apis });
const started = performance.now();
const statuses = await Promise.all(
  apis.map(async (api) => {
    const response = await fetch(`${mock.urls[api]}/`, { signal: AbortSignal.timeout(30_000) });
    await response.arrayBuffer();
    return response.status;
  }),
);
const answered = performance.now();
await mock.close();
console.log(
  JSON.stringify({
    apis: apis.length,
    answeredApis: statuses.length,
    importMs: imported - importStarted,
    startMockMs: started - imported,
    untilAllAnswerMs: answered - imported,
  }),
);
