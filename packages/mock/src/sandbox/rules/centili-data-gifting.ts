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
  source: '000_f24b1f0bbda67353.txt',
  defaultSeed,
  rules: {
    createToken: createTokenRule,

    assignData: {
      implements: '000 "Assigning data" ("amount": 500 //in MB) and "Get Balance … Get current state of all Service data pools … (totalAmount, assignedAmount, expirationDate)": an assignment draws `amount` MB from the pool.',
      inferred:
        'The pool drawn from is the (serviceKey, operator of the subscriber) one; a subscriber not in the `subscribers` seed draws from the service\'s first pool. No pool: 400 NO_DATA_POOL. More than is left: 400 INSUFFICIENT_DATA (the documented 400 body; the document lists no error for it). Pool expiry is not enforced. Transaction ids count up from 1.',
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
      implements: '000 "Get a list of all data transactions for the given service key and msisdn. MSISDN is not required, in which case all transactions associated with the service are returned."',
      async handle(context) {
        const { serviceKey, msisdn } = context.request.query as { serviceKey: string; msisdn?: string };
        const all = await context.store.list<DataTransaction>(`transactions:${serviceKey}`);
        return context.json(msisdn === undefined ? all : all.filter((transaction) => transaction.msisdn === msisdn));
      },
    },

    listServices: {
      implements: '000 "Get all services and packages for the merchant."',
      inferred: 'The sandbox has one merchant: merchantId does not filter; the services are the `dataGiftingServices` seed.',
      async handle(context) {
        return context.json((await context.seed()).dataGiftingServices ?? []);
      },
    },

    getBalance: {
      implements: '000 "Get current state of all Service data pools associated with the given service key and operator (totalAmount, assignedAmount, expirationDate)."',
      inferred: 'No pool for the pair: an empty list. A pool seeded without expirationDate expires "2099-12-31 23:59:59".',
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
