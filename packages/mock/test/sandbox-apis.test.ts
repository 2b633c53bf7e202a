import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../src/index.js';
import { send } from './support/requests.js';
import { sandboxClient } from './support/sandbox.js';

const serviceKey = '3586a2363bcd51a2b3c4d5f34918263a';

describe('sandbox: Centili data gifting', () => {
  let mock: RunningMock;
  let gifting: Awaited<ReturnType<typeof sandboxClient>>;
  beforeAll(async () => {
    mock = await startMock({ apis: ['centili-data-gifting'], sandbox: true });
    gifting = await sandboxClient(mock, 'centili-data-gifting');
  });
  beforeEach(async () => {
    await mock.reset();
    await gifting.login();
  });
  afterAll(() => mock.close());

  const balance = async (operator = 'FR_ORANGE') => (await gifting.call('getBalance', { query: { serviceKey, operator } })).json as Array<{ totalAmount: number; assignedAmount: number }>;
  const assign = (amount: number, msisdn = '4366124567') => gifting.call('assignData', { body: { serviceKey, msisdn, clientId: '454585', amount } });

  it('raises assignedAmount by exactly the amount assigned, from the seeded pool (the documents’ example)', async () => {
    expect(await balance()).toEqual([{ totalAmount: 100000, assignedAmount: 2500, expirationDate: '2024-12-31 23:59:59' }]);
    const assigned = await assign(500);
    expect(assigned.status).toBe(200);
    expect(assigned.json).toMatchObject({ serviceKey, msisdn: '4366124567', amount: 500, status: 'SUCCESS' });
    expect((await balance())[0]!.assignedAmount).toBe(3000);
    expect(await balance('ES_MOVISTAR')).toEqual([]);
  });

  it('lists a transaction for its msisdn and not for another; without msisdn, all of the service', async () => {
    const mine = (await assign(100)).json as { transactionId: string };
    const other = (await assign(200, '4366999999')).json as { transactionId: string };
    const list = async (query: Record<string, string>) => ((await gifting.call('listTransactions', { query: { serviceKey, ...query } })).json as Array<{ transactionId: string }>).map((t) => t.transactionId);
    expect(await list({ msisdn: '4366124567' })).toEqual([mine.transactionId]);
    expect(await list({ msisdn: '4366999999' })).toEqual([other.transactionId]);
    expect(await list({ msisdn: '4366000000' })).toEqual([]);
    expect(await list({})).toEqual([mine.transactionId, other.transactionId]);
  });

  it('refuses to assign more than is left, with the documented 400 body, and assigns nothing', async () => {
    await mock.seed('centili-data-gifting', { dataPools: [{ serviceKey, operator: 'FR_ORANGE', totalAmount: 1000 }] });
    expect((await assign(800)).status).toBe(200);
    const refused = await assign(300);
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ code: 'INSUFFICIENT_DATA', message: `Not enough data left in the pool of ${serviceKey}/FR_ORANGE: 300 MB asked, 200 MB left` });
    expect((await balance())[0]!.assignedAmount).toBe(800);
  });

  it('never oversells under concurrent assignments', async () => {
    await mock.seed('centili-data-gifting', { dataPools: [{ serviceKey, operator: 'FR_ORANGE', totalAmount: 1000 }] });
    const results = await Promise.all(Array.from({ length: 10 }, () => assign(200)));
    expect(results.filter((result) => result.status === 200)).toHaveLength(5);
    expect((await balance())[0]!.assignedAmount).toBe(1000);
  });

  it('answers a service without a pool with a 400 naming it', async () => {
    const response = await gifting.call('assignData', { body: { serviceKey: 'nopool', msisdn: '4366124567', clientId: '1', amount: 1 } });
    expect(response.json).toEqual({ code: 'NO_DATA_POOL', message: 'Service nopool has no data pool for operator FR_ORANGE' });
  });

  it('lists the merchant’s services from the seed', async () => {
    expect((await gifting.call('listServices')).json).toEqual([{ serviceKey, name: 'Data rewards', packages: [{ operator: 'FR_ORANGE', amount: 500 }] }]);
  });
});

describe('sandbox: Centili services and packages', () => {
  let mock: RunningMock;
  let services: Awaited<ReturnType<typeof sandboxClient>>;
  let packages: Awaited<ReturnType<typeof sandboxClient>>;
  const key = '0fc073fbcba49xzc9155dd57a08454b2';
  beforeAll(async () => {
    mock = await startMock({
      apis: ['centili-services', 'centili-packages'],
      sandbox: {
        seed: {
          services: [
            { active: true, name: 'Games Unlimited', serviceKey: key, timeCreated: '2017-08-07 12:44:19', type: 'Subscription' },
            { active: false, name: 'Old Quiz', serviceKey: 'aaaa1111', timeCreated: '2016-01-01 00:00:00', type: 'One Time Payment' },
          ],
          servicePackages: [
            { serviceKey: key, countryCode: 'pt', amount: '1', currency: 'EUR', paymentType: 'mobile', price: '2.00', unit: 'token' },
            { serviceKey: key, countryCode: 'pt', amount: '5', currency: 'EUR', paymentType: 'mobile', price: '8.00', unit: 'token' },
            { serviceKey: key, countryCode: 'es', amount: '1', currency: 'EUR', paymentType: 'wallet', price: '3.00', unit: 'token' },
          ],
        },
      },
    });
    services = await sandboxClient(mock, 'centili-services');
    packages = await sandboxClient(mock, 'centili-packages');
    await services.login();
    await packages.login();
  });
  afterAll(() => mock.close());

  const names = (response: { json: unknown }) => (response.json as Array<{ name?: string; price?: string }>).map((item) => item.name ?? item.price);

  it('applies the service filters: equality and the strict timeCreated range', async () => {
    expect(names(await services.call('searchServices', { body: {} }))).toEqual(['Games Unlimited', 'Old Quiz']);
    expect(names(await services.call('searchServices', { body: { active: false } }))).toEqual(['Old Quiz']);
    expect(names(await services.call('searchServices', { body: { timeCreated: { gt: '2017-01-01 00:00:00' } } }))).toEqual(['Games Unlimited']);
    expect(names(await services.call('searchServices', { body: { timeCreated: { gt: '2017-08-07 12:44:19' } } }))).toEqual([]);
    expect(names(await services.call('searchServices', { body: { serviceKey: 'zzz' } }))).toEqual([]);
  });

  it('applies the price range and the country of the path to packages', async () => {
    const search = (country: string, body: unknown) => services.call('searchPackages', { params: { serviceKey: key, countryCode: country }, body });
    expect(names(await search('pt', {}))).toEqual(['2.00', '8.00']);
    expect(names(await search('PT', { price: { gt: '5.00' } }))).toEqual(['8.00']);
    expect(names(await search('pt', { price: { gt: '1.00', lt: '2.00' } }))).toEqual([]);
    expect(names(await search('es', { paymentType: 'wallet' }))).toEqual(['3.00']);
  });

  it('answers the countries of a service from the default seed, filtered', async () => {
    const response = await services.call('searchCountries', { params: { serviceKey: key }, body: { active: '', approvalStatus: 'APPROVED', countryCode: '' } });
    expect(response.json).toEqual([{ active: 'true', approvalStatus: 'APPROVED', countryCode: 'pt', countryName: 'Portugal', timeLaunched: '2017-08-07 12:44:19' }]);
    expect((await services.call('searchCountries', { params: { serviceKey: key }, body: { approvalStatus: 'REJECTED' } })).json).toEqual([]);
  });

  it('answers packages by country from the documents’ example, and the documented 404 when there are none', async () => {
    const found = await packages.call('getCountryPackages', { query: { serviceKey: 'f31a355df6dad07e49ba474db7ff9b07', country: 'rs' } });
    expect((found.json as Array<{ operatorCode: string }>).map((entry) => entry.operatorCode)).toEqual(['RS_TELENOR', 'RS_VIP', 'RS_MTS']);
    const none = await packages.call('getCountryPackages', { query: { serviceKey: 'f31a355df6dad07e49ba474db7ff9b07', country: 'es' } });
    expect(none.status).toBe(404);
    expect(none.json).toEqual({ code: 'NOT_FOUND', message: 'Packages not found' });
  });

  it('answers packages for a subscriber on its operator, and 404 for an unknown one', async () => {
    const found = await packages.call('getSubscriberPackages', { query: { serviceKey: 'f31a355df6dad07e49ba474db7ff9b07', msisdn: '381644150105' } });
    expect(found.json).toMatchObject({ msisdn: '381644150105', operatorCode: 'RS_MTS', country: 'rs' });
    const unknown = await packages.call('getSubscriberPackages', { query: { serviceKey: 'f31a355df6dad07e49ba474db7ff9b07', msisdn: '4477781234567' } });
    expect(unknown.json).toEqual({ code: 'NOT_FOUND', message: 'Packages not found' });
  });

  it('takes a new seed over HTTP until reset', async () => {
    const seeded = await send(packages.base, {
      method: 'POST',
      path: '/__admin/seed',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ packages: [{ serviceKey: 'k1', country: 'es', operatorCode: 'ES_MOVISTAR', packages: [{ price: 1, localPrice: 1, flow: 'PIN' }] }] }),
    });
    expect(seeded.status).toBe(200);
    expect((await packages.call('getCountryPackages', { query: { serviceKey: 'k1', country: 'es' } })).status).toBe(200);
    await mock.reset('centili-packages');
    await packages.login();
    expect((await packages.call('getCountryPackages', { query: { serviceKey: 'k1', country: 'es' } })).status).toBe(404);
  });
});

describe('sandbox: MTN data gifting', () => {
  let mock: RunningMock;
  let mtn: Awaited<ReturnType<typeof sandboxClient>>;
  beforeAll(async () => {
    mock = await startMock({ apis: ['mtn-ng-data-gifting'], sandbox: true });
    mtn = await sandboxClient(mock, 'mtn-ng-data-gifting');
  });
  afterAll(() => mock.close());

  const gift = (headers: Record<string, string>, body: unknown = { receiverMsisdn: '2349062058463', productCode: 'NACT_NG_Data_1234', sendSms: true }) =>
    mtn.call('giftData', { params: { senderMsisdn: '2349062058464' }, query: { nodeid: 'partner-node-01' }, headers, body });

  it('echoes a valid transactionId header', async () => {
    const response = await gift({ transactionid: 'Xk3-9fA+2b=' });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ transactionId: 'Xk3-9fA+2b=', statusCode: '200', data: { productName: 'NACT_NG_Data_1234' } });
  });

  it.each([['blank', ''], ['too short', 'abc'], ['too long', 'x'.repeat(21)], ['a character outside the alphabet', 'abc_def']])('replaces a %s transactionId with a generated valid one', async (_what, value) => {
    const response = await gift({ transactionid: value });
    const { transactionId } = response.json as { transactionId: string };
    expect(transactionId).not.toBe(value);
    expect(transactionId).toMatch(/^[A-Za-z0-9+/=-]{5,20}$/);
  });

  it('accepts only the configured API keys when `apiKeys` is given', async () => {
    const strict = await startMock({ apis: ['mtn-ng-data-gifting'], sandbox: { apiKeys: ['good-key'] } });
    try {
      const client = await sandboxClient(strict, 'mtn-ng-data-gifting');
      const call = (key: string) => client.call('giftData', { params: { senderMsisdn: '2349062058464' }, query: { nodeid: 'n1' }, headers: { 'x-api-key': key, transactionid: 'Trace-0002' }, body: { receiverMsisdn: '2349062058463', productCode: 'p', sendSms: false } });
      const refused = await call('bad-key');
      expect(refused.status).toBe(401);
      expect(refused.json).toMatchObject({ statusCode: '401', transactionId: 'Trace-0002', message: 'Invalid API key in the X-API-Key header' });
      expect((await call('good-key')).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('follows the same rule in its error bodies', async () => {
    const invalid = await gift({ transactionid: 'Trace-0001' }, { receiverMsisdn: 'x', productCode: 'p', sendSms: true });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ transactionId: 'Trace-0001', statusCode: '400', message: expect.stringMatching(/receiverMsisdn/) });
    const generated = await gift({ transactionid: '!' }, { receiverMsisdn: 'x', productCode: 'p', sendSms: true });
    expect((generated.json as { transactionId: string }).transactionId).toMatch(/^[A-Za-z0-9+/=-]{5,20}$/);
  });
});
