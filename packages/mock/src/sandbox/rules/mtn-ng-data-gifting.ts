import { generateMtnTransactionId, validMtnTransactionId } from '../../http-support.js';
import type { ApiBehaviour } from '../types.js';

/** MTN Nigeria Data Gifting v1, from `003_39b7a1bc5f8274b0.txt`. */
export const mtnNgDataGifting: ApiBehaviour = {
  source: '003_39b7a1bc5f8274b0.txt',
  rules: {
    giftData: {
      implements:
        '003 transactionId: "The value must be between 5 and 20 characters, and consist of ASCII letters, digits, or the characters +, /, =, and -. Invalid or blank IDs will be ignored and replaced with generated ones." The same holds for every error body the sandbox writes.',
      inferred: 'Any X-API-Key and productCode are accepted; statusCode "200", statusMessage "Successful", data.productName is the productCode, data.notification says whether SMS were sent, _link.self.href is the request path.',
      async handle(context) {
        const header = context.request.headers.transactionid;
        const transactionId = validMtnTransactionId(typeof header === 'string' ? header : undefined) ?? generateMtnTransactionId();
        const body = context.request.body as { receiverMsisdn: string; productCode: string; sendSms: boolean };
        return context.json({
          statusCode: '200',
          statusMessage: 'Successful',
          transactionId,
          data: {
            productName: body.productCode,
            notification: body.sendSms ? `SMS sent to ${context.request.pathParams.senderMsisdn} and ${body.receiverMsisdn}` : 'No SMS sent',
          },
          _link: { self: { href: context.request.path } },
        });
      },
    },
  },
};
