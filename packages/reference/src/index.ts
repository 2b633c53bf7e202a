import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The absolute path of the built site: `index.html`, and `<api>/index.html`, `fidelity.md`, `openapi.json` per API. */
export const referenceDir: string = fileURLToPath(new URL('./site/', import.meta.url));

/** Where to serve the reference. */
export interface ServeReferenceOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1`: the reference is for this machine. */
  host?: string;
}

/** A reference being served; `close()` stops it. */
export interface RunningReference {
  /** The landing page's URL, e.g. `http://127.0.0.1:4009/`. */
  url: string;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/**
 * Serves the reference site over HTTP (read-only, GET and HEAD; nothing outside the site is
 * reachable). Opening a page sends no request off the machine: Redoc and the specs are local.
 *
 * @throws {Error} when the site was not built (`pnpm build`), or the port cannot be listened on.
 */
export async function serveReference(options: ServeReferenceOptions = {}): Promise<RunningReference> {
  if (!existsSync(join(referenceDir, 'index.html'))) throw new Error(`The reference is not built: ${referenceDir}index.html is missing (run pnpm build).`);
  const server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://reference').pathname);
    } catch {
      response.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Malformed URL\n');
      return;
    }
    const file = normalize(join(referenceDir, path.endsWith('/') ? `${path}index.html` : path));
    const type = contentTypes[extname(file)];
    if (!file.startsWith(referenceDir.endsWith(sep) ? referenceDir : referenceDir + sep) || !type || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
