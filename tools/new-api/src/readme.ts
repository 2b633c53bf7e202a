import type { OpenApiDocument } from '@carrier-api/spec-kit';
import { clientCallSource, mockAuthSource, readmeAuthSource, sdkRequestSource, type ExampleCall } from './example.ts';
import { apiTitle, clientFactoryName, packageOf, sdkFactoryName } from './templates.ts';

/** The light client's README: install, a call of the spec's first operation with its examples, the options. */
export function renderClientReadme(api: string, document: OpenApiDocument, call: ExampleCall): string {
  const { name } = packageOf(api, 'client');
  return `# ${name}

Typed client of the ${apiTitle(document.info.title)}, generated from its OpenAPI contract with openapi-typescript and openapi-fetch.

\`\`\`sh
npm install ${name}
\`\`\`

\`\`\`ts
import { ${clientFactoryName(api)}, expectData } from '${name}';

const client = ${clientFactoryName(api)}({ auth: ${readmeAuthSource(api, call)} });

// ${call.operation.operationId}
const result = await expectData(${clientCallSource(call)});
console.log(result);
\`\`\`

- Every path, parameter and body is typed from [the contract](../../specs/${api}/openapi.yaml):
  a wrong path, parameter or field does not compile.
- \`expectData(call)\` returns the data or throws a \`CarrierApiError\` whose \`body\` is the
  operation's documented error body; without it, openapi-fetch's \`{ data, error, response }\`.
- Options: \`baseUrl\` (default: the spec's server), \`auth\`, \`retry\` (or \`false\`), \`timeout\` (ms per
  attempt, default 30 000), \`deadline\` (ms for the whole call, default 60 000), \`onEvent\` (request,
  response, retry and error events, headers redacted), \`fetch\`.
  Auth, idempotency keys and retries follow [@carrier-api/runtime](../runtime/README.md).

In tests, point it at [@carrier-api/mock](../mock/README.md):
\`${clientFactoryName(api)}({ baseUrl: mock.urls['${api}'], auth: ${mockAuthSource(api, call)} })\`.

The sources in \`src/generated/\` are generated from the spec at build time; change the spec,
not them. A classic method-style SDK of the same API: \`${packageOf(api, 'sdk').name}\`.
`;
}

/** The SDK's README: install, the same call as a method, the options. */
export function renderSdkReadme(api: string, document: OpenApiDocument, call: ExampleCall): string {
  const { name } = packageOf(api, 'sdk');
  return `# ${name}

Method-style SDK of the ${apiTitle(document.info.title)}, generated from its OpenAPI contract with openapi-generator (typescript-fetch), with OAuth2/API key auth, idempotency keys and safe retries.

\`\`\`sh
npm install ${name}
\`\`\`

\`\`\`ts
import { ${sdkFactoryName(api)}, isCarrierApiError } from '${name}';

const sdk = ${sdkFactoryName(api)}({ auth: ${readmeAuthSource(api, call)} });

try {
  const result = await sdk.${call.operation.operationId}(${sdkRequestSource(call, document)});
  console.log(result);
} catch (error) {
  if (isCarrierApiError(error)) console.error(error.status, error.code, error.operationId);
  else throw error;
}
\`\`\`

- One method per operation of [the contract](../../specs/${api}/openapi.yaml), one request object
  per call; models and union types for enums; a wrong argument does not compile.
- Options: \`baseUrl\`, \`auth\`, \`retry\` (or \`false\`), \`timeout\`, \`deadline\`, \`onEvent\`, \`fetch\`: the same as the light client
  \`${packageOf(api, 'client').name}\`, and the same [runtime](../runtime/README.md) rules for tokens, API keys,
  idempotency keys and retries. Error statuses throw \`CarrierApiError\`.

The sources in \`src/generated/\` come from openapi-generator (typescript-fetch, version pinned in
\`openapitools.json\`) at build time; change the spec, not them.
`;
}

/** The light client's first test: the example call against the mock answers the documented status. */
export function renderClientTest(api: string, call: ExampleCall): string {
  return `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { ${clientFactoryName(api)} } from '../src/index.js';

let mock: RunningMock;

beforeAll(async () => {
  mock = await startMock({ apis: ['${api}'] });
});
afterAll(() => mock.close());

describe('${clientFactoryName(api)} against the mock', () => {
  it('${call.operation.operationId} answers ${call.status}', async () => {
    const client = ${clientFactoryName(api)}({ baseUrl: mock.urls['${api}'], auth: ${mockAuthSource(api, call)} });
    const { response, error } = await ${clientCallSource(call)};
    expect({ status: response.status, error }).toEqual({ status: ${call.status}, error: undefined });
  });
});
`;
}

/** The SDK's first test: the same call through the SDK's method answers the documented status. */
export function renderSdkTest(api: string, document: OpenApiDocument, call: ExampleCall): string {
  return `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { ${sdkFactoryName(api)} } from '../src/index.js';

let mock: RunningMock;

beforeAll(async () => {
  mock = await startMock({ apis: ['${api}'] });
});
afterAll(() => mock.close());

describe('${sdkFactoryName(api)} against the mock', () => {
  it('${call.operation.operationId} answers ${call.status}', async () => {
    const sdk = ${sdkFactoryName(api)}({ baseUrl: mock.urls['${api}'], auth: ${mockAuthSource(api, call)} });
    const response = await sdk.${call.operation.operationId}Raw(${sdkRequestSource(call, document)});
    expect(response.raw.status).toBe(${call.status});
  });
});
`;
}
