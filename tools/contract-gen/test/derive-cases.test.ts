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

describe('values that name something on the server come from earlier answers', () => {
  it('a path parameter an OpenAPI link fills: from the link source\'s first positive case', async () => {
    const cases = deriveCases(await bundleApi('centili-payments'));
    const byId = Object.fromEntries(cases.map((c) => [c.id, c]));
    for (const id of ['getTransaction/positive/documented-parameters', 'releaseTransaction/positive/documented-parameters', 'submitPin/positive/example-documented']) {
      expect(byId[id]!.uses![0], id).toEqual({
        target: 'path:transactionId',
        fromCase: 'startTransaction/positive/example-documented',
        expression: '$response.body#/transactionId',
        via: expect.stringMatching(/^#\/paths\/~1auth~1transactions\/post\/responses\/200\/links\//),
      });
      expect(byId[id]!.changesState, id).toBe(true);
      expect(byId[id]!.request.pathParameters, id).toEqual({ transactionId: '7d1c3f0e-transaction' });
    }
    // The PIN is no spec value: it comes from --pin.
    expect(byId['submitPin/positive/example-documented']!.uses).toContainEqual(expect.objectContaining({ target: 'body:pin', option: 'pin' }));
    // Negative cases keep the spec's values: the server refuses them before looking anything up.
    expect(byId['submitPin/negative/missing-body-pin']!.uses).toBeUndefined();
    // The refresh grant takes the refresh token a password grant issued.
    expect(byId['createToken/positive/example-refreshtoken']!.uses).toEqual([expect.objectContaining({ target: 'body:refresh_token', fromCase: 'createToken/positive/example-password', expression: '$response.body#/refresh_token' })]);
    expect(byId['createToken/positive/example-refreshtoken']!.changesState).toBeUndefined();
  });

  it('a lookup of the spec\'s example data may answer its documented 404', async () => {
    const cases = deriveCases(await bundleApi('centili-packages'));
    expect(cases.find((c) => c.id === 'getCountryPackages/positive/documented-parameters')!.expect.statuses).toEqual(['200', '404']);
    // getTransaction documents a 404 too, but its id comes from a link: it must be found.
    const payments = deriveCases(await bundleApi('centili-payments'));
    expect(payments.find((c) => c.id === 'getTransaction/positive/documented-parameters')!.expect.statuses).toEqual(['200']);
  });
});
