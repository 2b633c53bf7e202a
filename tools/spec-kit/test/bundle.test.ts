import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listApis } from '../src/apis.ts';
import { bundleApi, writeBundles } from '../src/bundle.ts';
import { listOperations } from '../src/load.ts';

describe('bundle', () => {
  it('writes the same bytes twice', async () => {
    const first = mkdtempSync(join(tmpdir(), 'bundle-a-'));
    const second = mkdtempSync(join(tmpdir(), 'bundle-b-'));
    await writeBundles(first);
    await writeBundles(second);
    const files = readdirSync(first).sort();
    expect(files).toEqual(readdirSync(second).sort());
    expect(files).toHaveLength(listApis().length * 2 + 1);
    for (const file of files) {
      expect(readFileSync(join(second, file)), file).toEqual(readFileSync(join(first, file)));
    }
  });

  it.each(listApis())('makes %s self-contained: every $ref is local and resolves', async (api) => {
    const document = await bundleApi(api);
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/"\$ref":"#\//);
    expect(() => listOperations(document)).not.toThrow();
  });

  it('shares the token endpoint of specs/shared among the Centili APIs', async () => {
    for (const api of listApis().filter((name) => name.startsWith('centili-'))) {
      const document = await bundleApi(api);
      const token = listOperations(document).find((operation) => operation.operationId === 'createToken');
      expect(token, api).toMatchObject({ method: 'post', path: '/auth/realms/api/protocol/openid-connect/token', security: [] });
      expect(Object.keys(token!.requestBody!.content)).toEqual(['application/x-www-form-urlencoded']);
      expect(document.components?.securitySchemes?.centiliOAuth2).toMatchObject({
        type: 'oauth2',
        flows: { password: { tokenUrl: 'https://api.centili.com/auth/realms/api/protocol/openid-connect/token' } },
      });
    }
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
