import type { ApiBehaviour, SandboxSeed } from '../types.js';
import { createTokenRule } from './centili-token.js';

/** Centili Payments v3 Get Packages, from `004_b9cfb229140afeac.txt`. */

const serviceKey = 'f31a355df6dad07e49ba474db7ff9b07';
const tiers = (payouts: [number, number, number], perPrice: [number, number, number]) =>
  [
    [1, 0.41, 50],
    [2, 0.61, 75],
    [3, 0.81, 100],
  ].map(([amount, price, localPrice], index) => ({ localPayout: payouts[index], unit: 'item', amount, price, payout: perPrice[index], localPrice, flow: 'PIN' }));

/** The document's "Obtained packages for country" example (Serbia), for the document's serviceKey. */
const defaultSeed: SandboxSeed = {
  packages: [
    { serviceKey, country: 'rs', mccmnc: '22001', currency: 'EUR', serviceDescription: '', canBill: true, localCurrency: 'RSD', operatorCode: 'RS_TELENOR', packages: tiers([42.5, 63.75, 85], [0.35, 0.52, 0.69]), operatorName: 'Telenor Serbia' },
    { serviceKey, country: 'rs', mccmnc: '22005', currency: 'EUR', serviceDescription: '', canBill: true, localCurrency: 'RSD', operatorCode: 'RS_VIP', packages: tiers([42.08, 63.11, 84.15], [0.34, 0.51, 0.68]), operatorName: 'VIP Mobile Serbia' },
    { serviceKey, country: 'rs', mccmnc: '22003', currency: 'EUR', serviceDescription: '', canBill: true, localCurrency: 'RSD', operatorCode: 'RS_MTS', packages: tiers([42.5, 63.75, 85], [0.35, 0.52, 0.69]), operatorName: 'm:ts Serbia' },
  ],
  // The document's "Obtained packages for subscriber" example: 381644150105 on RS_MTS.
  subscribers: [{ msisdn: '381644150105', operator: 'RS_MTS', country: 'rs' }],
};

const notFound = 'Packages not found';
type Item = Record<string, unknown>;
const without = (item: Item, ...names: string[]) => Object.fromEntries(Object.entries(item).filter(([name]) => !names.includes(name)));

export const centiliPackages: ApiBehaviour = {
  defaultSeed,
  rules: {
    createToken: createTokenRule,

    getCountryPackages: {
      async handle(context) {
        const { serviceKey: key, country } = context.request.query as { serviceKey: string; country: string };
        const found = ((await context.seed()).packages ?? []).filter((entry) => entry.serviceKey === key && String(entry.country).toLowerCase() === country.toLowerCase());
        if (found.length === 0) return context.error(404, notFound, 'NOT_FOUND');
        return context.json(found.map((entry) => without(entry, 'serviceKey')));
      },
    },

    getSubscriberPackages: {
      async handle(context) {
        const { serviceKey: key, msisdn } = context.request.query as { serviceKey: string; msisdn: string };
        const seed = await context.seed();
        const subscriber = seed.subscribers?.find((candidate) => candidate.msisdn === msisdn.replace(/^\+/, ''));
        const entry = subscriber && (seed.packages ?? []).find((candidate) => candidate.serviceKey === key && candidate.operatorCode === subscriber.operator);
        if (!entry) return context.error(404, notFound, 'NOT_FOUND');
        return context.json({
          country: entry.country,
          mccmnc: entry.mccmnc,
          currency: entry.currency,
          localCurrency: entry.localCurrency,
          msisdn: subscriber!.msisdn,
          operatorCode: entry.operatorCode,
          packages: (entry.packages as Item[]).map((item) => without(item, 'unit', 'amount')),
          operatorName: entry.operatorName,
        });
      },
    },
  },
};
