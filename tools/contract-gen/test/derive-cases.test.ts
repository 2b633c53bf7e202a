import { describe, expect, it } from 'vitest';
import { createSpecValidator } from '@carrier-api/schema-validator';
import { bundleApi, listApis, listOperations } from '@carrier-api/spec-kit';
import { deriveCases, operationPointer } from '../src/index.ts';

describe('deriveCases', () => {
  it('derives the payments cases (snapshot of their ids and expectations)', async () => {
    const cases = deriveCases(await bundleApi('centili-payments'));
    expect(cases.map((c) => `${c.id} → ${c.expect.statuses.join('|')}${c.authenticated ? '' : ' (no credentials)'}`)).toMatchSnapshot();
  });

  it.each(listApis())('%s: positive bodies satisfy the schema, negative bodies break it', async (api) => {
    const document = await bundleApi(api);
    const validator = createSpecValidator(document);
    const operations = Object.fromEntries(listOperations(document).map((operation) => [operation.operationId, operation]));
    const cases = deriveCases(document);
    expect(cases.some((c) => c.kind === 'positive')).toBe(true);
    expect(cases.some((c) => c.kind === 'negative')).toBe(true);
    for (const testCase of cases.filter((c) => c.request.body !== undefined)) {
      const operation = operations[testCase.operationId]!;
      const pointer = `${operationPointer(operation)}/requestBody/content/${testCase.request.contentType!.replace(/\//g, '~1')}/schema`;
      const issues = validator.validate(pointer, testCase.request.body);
      if (testCase.kind === 'positive') expect(issues, testCase.id).toEqual([]);
      else if (testCase.id.includes('-body-')) expect(issues.length, testCase.id).toBeGreaterThan(0);
    }
  });

  it('expects the documented statuses: 2xx for positive, 401 without credentials, 400 for a bad request', async () => {
    const cases = deriveCases(await bundleApi('mtn-ng-data-gifting'));
    const byId = Object.fromEntries(cases.map((c) => [c.id, c]));
    expect(byId['giftData/positive/example-gift']).toMatchObject({ expect: { statuses: ['200'] }, authenticated: true });
    expect(byId['giftData/negative/missing-credentials']).toMatchObject({ expect: { statuses: ['401'] }, authenticated: false });
    expect(byId['giftData/negative/missing-query-nodeid']!.request.query).toEqual({});
    // The server replaces an invalid transactionId instead of rejecting it: no negative case.
    expect(cases.map((c) => c.id).filter((id) => id.includes('transactionid'))).toEqual([]);
    expect(cases.every((c) => c.request.headers.transactionId === 'Xk3-9fA+2b=')).toBe(true);
    expect(byId['giftData/negative/missing-body-sendsms']!.request.body).toEqual({ receiverMsisdn: '2349062058463', productCode: 'NACT_NG_Data_1234' });
    expect(byId['giftData/negative/missing-body-sendsms']!.expect.statuses).toEqual(['400']);
  });
});
