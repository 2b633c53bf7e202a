import { createLogger } from '@stoplight/prism-core';
import { getHttpOperationsFromSpec, type IHttpConfig } from '@stoplight/prism-http';
import { listBundledApis } from '@carrier-api/specs';
import { MockStartError } from './errors.js';
import { createPrismHttpServer, type PrismHttpServer } from './prism-server.js';

export interface StartMockOptions {
  /** Which APIs to serve (names as in @carrier-api/specs); default all. */
  apis?: string[];
  /** Port of the first API, the next ones count up from it; 0 (default) picks free ports. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Generate responses from the schemas instead of returning the spec's examples. */
  dynamic?: boolean;
  /** Serve these spec files instead of the bundled ones (name → path); for testing a spec of your own. */
  specs?: Record<string, string>;
  /** Prism's request/response log level; default silent. */
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
}

export interface RunningMock {
  /** Base URL of each API's mock, by API name. */
  urls: Record<string, string>;
  /** The mocked Centili token endpoint of an API's mock: pass it as `auth.tokenUrl`. */
  tokenUrl(api: string): string;
  close(): Promise<void>;
}

/** Where the Centili APIs' shared OAuth2 token endpoint lives (specs/shared/paths/token.yaml). */
export const centiliTokenPath = '/auth/realms/api/protocol/openid-connect/token';

/**
 * Starts a Prism mock of each API on its own port (the Centili APIs share the token path, so one
 * port cannot serve them all). Requests are validated, credentials checked, and `Prefer: code=`
 * / `Prefer: example=` select documented responses.
 */
export async function startMock(options: StartMockOptions = {}): Promise<RunningMock> {
  const specFiles = resolveSpecFiles(options);
  const host = options.host ?? '127.0.0.1';
  const logger = createLogger('carrier-mock', { level: options.logLevel ?? 'silent' });
  const config: IHttpConfig = {
    isProxy: false,
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    errors: false,
    upstreamProxy: undefined,
    mock: { dynamic: options.dynamic ?? false },
  };

  const servers: PrismHttpServer[] = [];
  const urls: Record<string, string> = {};
  const closeAll = () => Promise.all(servers.map((server) => server.close().catch(() => undefined))).then(() => undefined);
  try {
    let index = 0;
    for (const [api, file] of Object.entries(specFiles)) {
      const operations = await getHttpOperationsFromSpec(file).catch((error: unknown) => {
        throw new MockStartError('INVALID_SPEC', `${api}: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      });
      if (operations.length === 0) throw new MockStartError('INVALID_SPEC', `${api}: ${file} has no operations`);
      const server = createPrismHttpServer(operations, config, logger.child({ name: api }));
      const port = options.port ? options.port + index : 0;
      index += 1;
      const address = await server.listen(port, host).catch((reason: unknown) => {
        const text = String(reason);
        throw /EADDRINUSE/.test(text)
          ? new MockStartError('PORT_IN_USE', `${api}: port ${port} on ${host} is already in use; pass another --port`)
          : new MockStartError('LISTEN_FAILED', `${api}: cannot listen on ${host}:${port}: ${text}`);
      });
      servers.push(server);
      urls[api] = address.replace(/\/$/, '');
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  const tokenUrl = (api: string) => {
    const url = urls[api];
    if (!url) throw new MockStartError('UNKNOWN_API', `The mock does not serve "${api}"; it serves ${Object.keys(urls).join(', ')}.`);
    return `${url}${centiliTokenPath}`;
  };
  return { urls, tokenUrl, close: closeAll };
}

function resolveSpecFiles(options: StartMockOptions): Record<string, string> {
  if (options.specs) return { ...options.specs };
  const bundled = listBundledApis();
  const known = bundled.map((api) => api.name);
  const wanted = options.apis && options.apis.length > 0 ? options.apis : known;
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new MockStartError('UNKNOWN_API', `Unknown API ${unknown.map((name) => `"${name}"`).join(', ')}. Known APIs: ${known.join(', ')}.`);
  }
  return Object.fromEntries(bundled.filter((api) => wanted.includes(api.name)).map((api) => [api.name, api.json]));
}
