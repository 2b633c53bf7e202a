import type { ApiBehaviour, RuleContext } from '../types.js';
import { createTokenRule } from './centili-token.js';
import { centiliDateTime } from './util.js';

/**
 * Centili payment transactions, from `001_d9b01f10bb52ca90.txt`. A transaction is
 * PENDING → COMPLETED (correct PIN) | RELEASED (released before its PIN): inferred, the document
 * shows only COMPLETED.
 */

interface StoredTransaction {
  transactionId: string;
  owner: string;
  status: 'PENDING' | 'COMPLETED' | 'RELEASED';
  serviceKey: string;
  msisdn?: string;
  country?: string;
  operator?: string;
  price?: string;
  itemName?: string;
  clientData?: { clientUserId?: string; clientReference?: string };
  timeCharged?: string;
}

const notFound = (context: RuleContext) => context.error(404, 'Transaction not found', 'NOT_FOUND');

/** The caller's transaction, or undefined: another caller's transaction is "not found" too (inferred). */
async function load(context: RuleContext): Promise<StoredTransaction | undefined> {
  const stored = await context.store.get<StoredTransaction>(`transaction:${context.request.pathParams.transactionId}`);
  return stored && stored.owner === context.principal ? stored : undefined;
}

const reference = (transaction: StoredTransaction) => ({ clientData: transaction.clientData ?? {}, transactionId: transaction.transactionId });

export const centiliPayments: ApiBehaviour = {
  rules: {
    createToken: createTokenRule,

    startTransaction: {
      async handle(context) {
        const body = context.request.body as {
          serviceKey: string;
          price?: string;
          userIdentifier?: { msisdn?: string; country?: string; operator?: string };
          clientData?: { clientUserId?: string; clientReference?: string; pageCustomization?: { itemName?: string } };
        };
        const transaction: StoredTransaction = {
          transactionId: globalThis.crypto.randomUUID(),
          owner: context.principal,
          status: 'PENDING',
          serviceKey: body.serviceKey,
          msisdn: body.userIdentifier?.msisdn,
          country: body.userIdentifier?.country,
          operator: body.userIdentifier?.operator,
          price: body.price,
          itemName: body.clientData?.pageCustomization?.itemName,
          clientData: body.clientData ? { clientUserId: body.clientData.clientUserId, clientReference: body.clientData.clientReference } : undefined,
        };
        await context.store.set(`transaction:${transaction.transactionId}`, transaction);
        return context.json({
          transactionType: 'CHARGE',
          country: transaction.country,
          action: { type: 'PIN', userInstruction: 'Enter the PIN sent to the subscriber by SMS' },
          clientData: transaction.clientData,
          msisdn: transaction.msisdn,
          transactionId: transaction.transactionId,
          operator: transaction.operator,
        });
      },
    },

    getTransaction: {
      async handle(context) {
        const transaction = await load(context);
        if (!transaction) return notFound(context);
        return context.json({
          transactionType: 'CHARGE',
          country: transaction.country,
          item: { amount: '1', price: transaction.price, name: transaction.itemName },
          notificationStatus: transaction.status === 'COMPLETED' ? 'DELIVERED' : undefined,
          subscriber: transaction.msisdn,
          timeCharged: transaction.timeCharged,
          transactionStatus: transaction.status,
          clientData: transaction.clientData,
          serviceKey: transaction.serviceKey,
          transactionId: transaction.transactionId,
          operator: transaction.operator,
        });
      },
    },

    releaseTransaction: {
      async handle(context) {
        const transaction = await load(context);
        if (!transaction) return notFound(context);
        if (transaction.status === 'PENDING' && (await context.store.compareAndSet(`transaction:${transaction.transactionId}`, transaction, { ...transaction, status: 'RELEASED' }))) {
          return context.json(reference(transaction));
        }
        return context.error(400, 'Transaction can not be released', 'CANNOT_RELEASE');
      },
    },

    submitPin: {
      async handle(context) {
        const transaction = await load(context);
        if (!transaction) return notFound(context);
        const attemptsKey = `pin-attempts:${transaction.transactionId}`;
        const { maxPinAttempts } = context.settings;
        const pin = (await context.seed()).pin ?? context.settings.pin;
        const tooMany = () => context.error(429, 'Number of attempts over the max retry limit, request can not be retried.', 'TOO_MANY_ATTEMPTS');
        if (((await context.store.get<number>(attemptsKey)) ?? 0) >= maxPinAttempts) return tooMany();
        if (transaction.status !== 'PENDING') return context.error(400, `Transaction is ${transaction.status}; it takes no PIN`, 'INVALID_STATE');
        if ((context.request.body as { pin: string }).pin !== pin) {
          // One atomic step: never more than maxPinAttempts wrong PINs, whatever the concurrency.
          const attempts = await context.store.incr(attemptsKey, 1, { max: maxPinAttempts });
          return attempts === undefined ? tooMany() : context.error(400, 'Invalid PIN sent, request can be retried', 'INVALID_PIN');
        }
        const completed: StoredTransaction = { ...transaction, status: 'COMPLETED', timeCharged: centiliDateTime(context.settings.clock()) };
        if (!(await context.store.compareAndSet(`transaction:${transaction.transactionId}`, transaction, completed))) {
          const now = await load(context);
          if (now?.status !== 'COMPLETED') return context.error(400, `Transaction is ${now?.status ?? 'gone'}; it takes no PIN`, 'INVALID_STATE');
        }
        return context.json(reference(transaction));
      },
    },
  },
};
