// A consumer's vitest file: the sandbox in-process (MSW, no port) from the published tarball of
// @carrier-api/mock, the light client from its own, and msw and vitest from the registry.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createPaymentsClient, expectData } from '@carrier-api/centili-payments';
import { createSandboxHandlers } from '@carrier-api/mock/msw';

const { handlers, sandbox } = createSandboxHandlers({ apis: ['centili-payments'], pin: '4321' });
const server = setupServer(...handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => sandbox.reset());
afterAll(() => server.close());

it('charges once per Idempotency-Key, and three wrong PINs use the PIN up', async () => {
  const payments = createPaymentsClient({ auth: { clientId: 'shop', username: 'merchant', password: 'secret' } });
  const body = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.99' };
  const params = { header: { 'Idempotency-Key': 'order-42' } };
  const started = await expectData(payments.POST('/auth/transactions', { body, params }));
  const replayed = await payments.POST('/auth/transactions', { body, params });
  expect(replayed.response.headers.get('idempotent-replayed')).toBe('true');
  expect(replayed.data?.transactionId).toBe(started.transactionId);

  const pin = (value: string) => payments.POST('/auth/transactions/{transactionId}/pin', { params: { path: { transactionId: started.transactionId! } }, body: { pin: value } });
  for (const wrong of ['0000', '0001', '0002']) expect((await pin(wrong)).response.status).toBe(400);
  expect((await pin('4321')).response.status).toBe(429);
  const starts = await sandbox.requests({ api: 'centili-payments', operationId: 'startTransaction' });
  expect(starts.map((entry) => entry.status)).toEqual([200, 200]);
  expect(await sandbox.requests({ api: 'centili-payments', operationId: 'submitPin' })).toHaveLength(4);
});

it('shares nothing with another handler set: its transaction is unknown there', async () => {
  const payments = createPaymentsClient({ auth: { clientId: 'shop', username: 'merchant', password: 'secret' } });
  const started = await expectData(payments.POST('/auth/transactions', { body: { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.99' } }));
  const other = createSandboxHandlers({ apis: ['centili-payments'] });
  server.use(...other.handlers);
  try {
    const lookup = await payments.GET('/auth/transactions/{transactionId}', { params: { path: { transactionId: started.transactionId! } } });
    expect(lookup.response.status).toBe(404);
  } finally {
    server.resetHandlers();
  }
});
