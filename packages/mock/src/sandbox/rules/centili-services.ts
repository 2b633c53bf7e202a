import type { ApiBehaviour, SandboxSeed } from '../types.js';
import { createTokenRule } from './centili-token.js';

/**
 * Centili Services API, from `002_14d2d480bd26aad5.txt`. Requests are filters: every field given
 * must match, `{gt, lt}` ranges bound strictly ("where "gt" means greater then, and "lt" means
 * less then"). Inferred: answers are lists (the document shows single objects; the spec accepts
 * both), empty when nothing matches (the document gives this API no 404); an empty string means
 * "any", as in the document's countries example; `optInTrid` and `msisdn` do not filter.
 */

const exampleKey = '0fc073fbcba49xzc9155dd57a08454b2';
const defaultSeed: SandboxSeed = {
  services: [{ active: true, contentType: 'Adult content', merchant: 'Go4Mobile', name: 'Games Unlimited', ownedBy: 'centili', serviceKey: exampleKey, timeCreated: '2017-08-07 12:44:19', type: 'xx' }],
  countries: [{ serviceKey: exampleKey, active: 'true', approvalStatus: 'APPROVED', countryCode: 'pt', countryName: 'Portugal', timeLaunched: '2017-08-07 12:44:19' }],
  servicePackages: [{ serviceKey: exampleKey, countryCode: 'pt', amount: '1', currency: 'EUR', paymentType: 'mobile', price: '5.00', unit: 'token' }],
};

type Item = Record<string, unknown>;
interface Range {
  gt?: string;
  lt?: string;
}

/** `value` within the strict range; numbers compared as numbers, dates (`yyyy-MM-dd HH:mm:ss`) as text. */
function inRange(value: unknown, range: Range, numeric: boolean): boolean {
  if (value === undefined) return false;
  const compare = (a: string, b: string) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0);
  return (range.gt === undefined || compare(String(value), range.gt) > 0) && (range.lt === undefined || compare(String(value), range.lt) < 0);
}

/** Every given filter field matches: equal (as text, case-insensitive for codes), or within its range. */
function matches(item: Item, filter: Item, ranges: Record<string, 'numeric' | 'date'>, ignore: string[] = []): boolean {
  return Object.entries(filter).every(([name, wanted]) => {
    if (ignore.includes(name) || wanted === '' || wanted === undefined || wanted === null) return true;
    if (ranges[name]) return inRange(item[name], wanted as Range, ranges[name] === 'numeric');
    return String(item[name]).toLowerCase() === String(wanted).toLowerCase();
  });
}

const without = (item: Item, ...names: string[]) => Object.fromEntries(Object.entries(item).filter(([name]) => !names.includes(name)));

export const centiliServices: ApiBehaviour = {
  defaultSeed,
  rules: {
    createToken: createTokenRule,

    searchServices: {
      async handle(context) {
        const filter = context.request.body as Item;
        const services = (await context.seed()).services ?? [];
        return context.json(services.filter((service) => matches(service, filter, { timeCreated: 'date' }, ['optInTrid', 'msisdn'])));
      },
    },

    searchCountries: {
      async handle(context) {
        const filter = context.request.body as Item;
        const countries = ((await context.seed()).countries ?? []).filter((country) => country.serviceKey === context.request.pathParams.serviceKey);
        return context.json(countries.filter((country) => matches(country, filter, { timeLaunched: 'date' })).map((country) => without(country, 'serviceKey')));
      },
    },

    searchPackages: {
      async handle(context) {
        const filter = context.request.body as Item;
        const { serviceKey, countryCode } = context.request.pathParams;
        const packages = ((await context.seed()).servicePackages ?? []).filter(
          (item) => item.serviceKey === serviceKey && String(item.countryCode).toLowerCase() === countryCode!.toLowerCase(),
        );
        return context.json(packages.filter((item) => matches(item, filter, { price: 'numeric' })).map((item) => without(item, 'serviceKey', 'countryCode')));
      },
    },
  },
};
