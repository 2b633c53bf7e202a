import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CountrySearchResultFromJSON,
  PackageSearchResultFromJSON,
  ServiceSearchResultFromJSON,
  createServicesSdk,
  instanceOfCountryFilterActive,
  type CountryFilter,
  type ServicesApi,
} from '../src/index.js';

// The search answers are `oneOf: [item, array of items]`: a list must come back whole.
const services = [1, 2, 3].map((n) => ({ active: true, merchant: `m${n}`, name: `Service ${n}`, serviceKey: `key-${n}` }));
const countries = [1, 2, 3].map((n) => ({ active: 'true', countryCode: `c${n}`, countryName: `Country ${n}` }));
const packages = [1, 2, 3].map((n) => ({ amount: `${n}`, currency: 'EUR', price: `${n}.00`, paymentType: 'mobile' }));

let server: Server;
let sdk: ServicesApi;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const path = new URL(req.url!, 'http://x').pathname;
    const body = path === '/v1/services' ? services : path.endsWith('/countries') ? countries : packages;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sdk = createServicesSdk({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, auth: { accessToken: 'token' } });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('list answers of the Services SDK keep every item', () => {
  const cases = [
    { operation: 'searchServices', sent: services, call: () => sdk.searchServices({ serviceFilter: {} }) },
    { operation: 'searchCountries', sent: countries, call: () => sdk.searchCountries({ serviceKey: 'k', countryFilter: { active: '' } }) },
    { operation: 'searchPackages', sent: packages, call: () => sdk.searchPackages({ serviceKey: 'k', countryCode: 'pt', packageFilter: {} }) },
  ];
  it.each(cases)('$operation: an array of three comes back as three', async ({ sent, call }) => {
    const result = await call();
    expect(Array.isArray(result)).toBe(true);
    expect(result).toHaveLength(3);
    expect(result).toEqual(sent);
  });

  const parsers = [
    { model: 'ServiceSearchResult', parse: ServiceSearchResultFromJSON, list: services },
    { model: 'CountrySearchResult', parse: CountrySearchResultFromJSON, list: countries },
    { model: 'PackageSearchResult', parse: PackageSearchResultFromJSON, list: packages },
  ];
  it.each(parsers)('$model FromJSON: a list stays a list, a single object stays an object', ({ parse, list }) => {
    expect(parse(list)).toEqual(list);
    expect(parse(list[0])).toEqual(list[0]);
  });
});

describe('CountryFilter.active is boolean | "" | "true" | "false", not an empty interface', () => {
  it.each([true, false, '', 'true', 'false'] as const)('accepts %j', (value) => {
    const filter: CountryFilter = { active: value };
    expect(instanceOfCountryFilterActive(filter.active)).toBe(true);
  });
  it.each([{}, 'yes', 1])('rejects %j', (value) => {
    expect(instanceOfCountryFilterActive(value)).toBe(false);
    // @ts-expect-error neither a boolean nor one of the documented strings
    const filter: CountryFilter = { active: value as { unexpected: true } };
    void filter;
  });
});
