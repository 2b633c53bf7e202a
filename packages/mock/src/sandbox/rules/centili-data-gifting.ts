import type { ApiBehaviour, DataPoolSeed, RuleContext, SandboxSeed } from '../types.js';
import { createTokenRule } from './centili-token.js';
import { centiliDateTime } from './util.js';

/** Centili Data Gifting, from `000_f24b1f0bbda67353.txt`. */

interface DataTransaction {
  transactionId: string;
  serviceKey: string;
  msisdn: string;
  clientId: string;
  amount: number;
  status: string;
  timeCreated: string;
}

const defaultSeed: SandboxSeed = {
  // The spec's balance example, for the document's serviceKey and operator.
  dataPools: [{ serviceKey: '3586a2363bcd51a2b3c4d5f34918263a', operator: 'FR_ORANGE', totalAmount: 100000, assignedAmount: 2500, expirationDate: '2024-12-31 23:59:59' }],
  // The document's msisdn, on the document's operator.
  subscribers: [{ msisdn: '4366124567', operator: 'FR_ORANGE' }],
  // The spec's listServices example.
  dataGiftingServices: [{ serviceKey: '3586a2363bcd51a2b3c4d5f34918263a', name: 'Data rewards', packages: [{ operator: 'FR_ORANGE', amount: 500 }] }],
};

const assignedKey = (pool: DataPoolSeed) => `pool-assigned:${pool.serviceKey}:${pool.operator}`;

/** The pool's assigned MB: its seed value until the first assignment. */
async function assigned(context: RuleContext, pool: DataPoolSeed): Promise<number> {
  return (await context.store.get<number>(assignedKey(pool))) ?? pool.assignedAmount ?? 0;
}

export const centiliDataGifting: ApiBehaviour = {
  defaultSeed,
  rules: {
    createToken: createTokenRule,

    assignData: {
      async handle(context) {
        const body = context.request.body as { serviceKey: string; msisdn: string; clientId: string; amount: number };
        const seed = await context.seed();
        const pools = (seed.dataPools ?? []).filter((pool) => pool.serviceKey === body.serviceKey);
        const operator = seed.subscribers?.find((subscriber) => subscriber.msisdn === body.msisdn)?.operator;
        const pool = operator === undefined ? pools[0] : pools.find((candidate) => candidate.operator === operator);
        if (!pool) return context.error(400, `Service ${body.serviceKey} has no data pool${operator ? ` for operator ${operator}` : ''}`, 'NO_DATA_POOL');
        // Two atomic steps, each safe across instances: start the counter at the seed, then add within the pool's size.
        await context.store.setIfAbsent(assignedKey(pool), pool.assignedAmount ?? 0);
        const after = await context.store.incr(assignedKey(pool), body.amount, { max: pool.totalAmount });
        if (after === undefined) {
          const left = pool.totalAmount - (await assigned(context, pool));
          return context.error(400, `Not enough data left in the pool of ${pool.serviceKey}/${pool.operator}: ${body.amount} MB asked, ${left} MB left`, 'INSUFFICIENT_DATA');
        }
        const transaction: DataTransaction = {
          transactionId: String(await context.store.incr('transaction-sequence')),
          serviceKey: body.serviceKey,
          msisdn: body.msisdn,
          clientId: body.clientId,
          amount: body.amount,
          status: 'SUCCESS',
          timeCreated: centiliDateTime(context.settings.clock()),
        };
        await context.store.append(`transactions:${body.serviceKey}`, transaction);
        return context.json(transaction);
      },
    },

    listTransactions: {
      async handle(context) {
        const { serviceKey, msisdn } = context.request.query as { serviceKey: string; msisdn?: string };
        const all = await context.store.list<DataTransaction>(`transactions:${serviceKey}`);
        return context.json(msisdn === undefined ? all : all.filter((transaction) => transaction.msisdn === msisdn));
      },
    },

    listServices: {
      async handle(context) {
        return context.json((await context.seed()).dataGiftingServices ?? []);
      },
    },

    getBalance: {
      async handle(context) {
        const { serviceKey, operator } = context.request.query as { serviceKey: string; operator: string };
        const pools = ((await context.seed()).dataPools ?? []).filter((pool) => pool.serviceKey === serviceKey && pool.operator === operator);
        const balance = [];
        for (const pool of pools) balance.push({ totalAmount: pool.totalAmount, assignedAmount: await assigned(context, pool), expirationDate: pool.expirationDate ?? '2099-12-31 23:59:59' });
        return context.json(balance);
      },
    },
  },
};
