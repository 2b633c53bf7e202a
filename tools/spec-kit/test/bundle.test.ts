import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listApis, specEntry } from '../src/apis.ts';
import { bundleApi, writeBundles } from '../src/bundle.ts';
import { deref, listOperations } from '../src/load.ts';

describe('bundle', () => {
  it('writes the same bytes twice', async () => {
    const first = mkdtempSync(join(tmpdir(), 'bundle-a-'));
    const second = mkdtempSync(join(tmpdir(), 'bundle-b-'));
    await writeBundles(first);
    await writeBundles(second);
    const files = readdirSync(first).sort();
    expect(files).toEqual(readdirSync(second).sort());
    // Per API its JSON and YAML bundle; then the manifest and the documents module (ESM, CJS and
    // their declarations) that holds every bundle for code without file access.
    const expected = [...listApis().flatMap((api) => [`${api}.json`, `${api}.yaml`]), 'manifest.json', 'documents.js', 'documents.cjs', 'documents.d.ts', 'documents.d.cts'];
    expect(files).toEqual(expected.sort());
    for (const file of files) {
      expect(readFileSync(join(second, file)), file).toEqual(readFileSync(join(first, file)));
    }
  });

  it('writes a documents module whose ESM and CJS objects are the JSON bundles, API by API', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'bundle-documents-'));
    await writeBundles(outDir);
    const esm = (await import(pathToFileURL(join(outDir, 'documents.js')).href)) as { bundledDocuments: Record<string, unknown> };
    const cjs = createRequire(import.meta.url)(join(outDir, 'documents.cjs')) as { bundledDocuments: Record<string, unknown> };
    for (const module of [esm, cjs]) {
      expect(Object.keys(module.bundledDocuments)).toEqual(listApis());
      for (const api of listApis()) expect(module.bundledDocuments[api], api).toEqual(JSON.parse(readFileSync(join(outDir, `${api}.json`), 'utf8')));
      expect(Object.isFrozen(module.bundledDocuments)).toBe(true);
    }
  });

  it.each(listApis())('makes %s self-contained: every $ref is local and resolves', async (api) => {
    const document = await bundleApi(api);
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]*"/g) ?? [];
    // An entry that uses $refs keeps some in its bundle (the shared files become components); a
    // spec written without any (a new API's may be) has none to check.
    if (readFileSync(specEntry(api), 'utf8').includes('$ref')) expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/"\$ref":"#\//);
    expect(() => listOperations(document)).not.toThrow();
  });

  // The APIs that read a shared file are found from their own entry files, not from their names:
  // an API added with `pnpm new-api` may read it or not.
  const entryOf = (api: string) => parse(readFileSync(specEntry(api), 'utf8')) as { paths?: Record<string, { $ref?: string }>; components?: { securitySchemes?: Record<string, { $ref?: string }> } };
  const readingToken = listApis().filter((api) => Object.values(entryOf(api).paths ?? {}).some((item) => item.$ref === '../shared/paths/token.yaml'));
  const readingOAuth2 = listApis().flatMap((api) =>
    Object.entries(entryOf(api).components?.securitySchemes ?? {}).flatMap(([name, scheme]) => (scheme.$ref === '../shared/security-schemes/centili-oauth2.yaml' ? [[api, name] as const] : [])),
  );

  it('finds the APIs that read the shared token endpoint and OAuth2 scheme', () => {
    expect(readingToken.length).toBeGreaterThan(0);
    expect(readingOAuth2.length).toBeGreaterThan(0);
  });

  it.each(readingToken)('bundles the shared token endpoint of specs/shared into %s', async (api) => {
    const document = await bundleApi(api);
    const token = listOperations(document).find((operation) => operation.operationId === 'createToken');
    expect(token, api).toMatchObject({ method: 'post', path: '/auth/realms/api/protocol/openid-connect/token', security: [] });
    expect(Object.keys(token!.requestBody!.content)).toEqual(['application/x-www-form-urlencoded']);
  });

  it.each(readingOAuth2)('bundles the shared OAuth2 scheme into %s as %s', async (api, name) => {
    const document = await bundleApi(api);
    expect(deref(document, document.components!.securitySchemes![name]!)).toMatchObject({
      type: 'oauth2',
      flows: { password: { tokenUrl: 'https://api.centili.com/auth/realms/api/protocol/openid-connect/token' } },
    });
  });

  it('keeps the bundle of a spec stable (snapshot of centili-payments operations)', async () => {
    const document = await bundleApi('centili-payments');
    const summary = listOperations(document).map((operation) => ({
      operationId: operation.operationId,
      route: `${operation.method.toUpperCase()} ${operation.path}`,
      parameters: operation.parameters.map((parameter) => `${parameter.in}:${parameter.name}${parameter.required ? '!' : ''}`),
      statuses: Object.keys(operation.responses),
      idempotencyKeyHeader: operation.idempotencyKeyHeader,
    }));
    expect(summary).toMatchSnapshot();
  });
});
