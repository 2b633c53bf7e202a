import { generateMtnTransactionId, validMtnTransactionId } from '../../http-support.js';
import type { ApiBehaviour } from '../types.js';

/** MTN Nigeria Data Gifting v1, from `003_39b7a1bc5f8274b0.txt`. */
export const mtnNgDataGifting: ApiBehaviour = {
  rules: {
    giftData: {
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
