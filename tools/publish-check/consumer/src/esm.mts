// A consumer's ES module: a light client, an SDK and the mock, installed from a registry.
import { startMock } from '@carrier-api/mock';
import { createPaymentsClient, expectData, type Transaction } from '@carrier-api/centili-payments';
import { CarrierApiError, createMtnNgDataGiftingSdk } from '@carrier-api/mtn-ng-data-gifting-sdk';

const mock = await startMock({ apis: ['centili-payments', 'mtn-ng-data-gifting'] });
try {
  const paymentsUrl = mock.urls['centili-payments'];
  const mtnUrl = mock.urls['mtn-ng-data-gifting'];
  if (!paymentsUrl || !mtnUrl) throw new Error('the mock did not start both APIs');

  const payments = createPaymentsClient({
    baseUrl: paymentsUrl,
    auth: { clientId: 'consumer', username: 'merchant', password: 's3cret', tokenUrl: mock.tokenUrl('centili-payments') },
  });
  const transaction: Transaction = await expectData(payments.GET('/auth/transactions/{transactionId}', { params: { path: { transactionId: 't-1' } } }));

  const mtn = createMtnNgDataGiftingSdk({ baseUrl: mtnUrl, auth: { apiKey: 'consumer-key' }, retry: false });
  const request = { senderMsisdn: '2349062058464', nodeid: 'consumer', dataGiftingRequest: { receiverMsisdn: '2349062058463', productCode: 'NACT_NG_Data_1234', sendSms: true } };
  const gift = await mtn.giftData(request);
  let refused = 0;
  try {
    await mtn.giftData(request, async ({ init }) => ({ ...init, headers: { ...init.headers, Prefer: 'code=403' } }));
  } catch (error) {
    if (error instanceof CarrierApiError) refused = error.status;
  }
  console.log(JSON.stringify({ module: 'esm', transactionStatus: transaction.transactionStatus, amtCharged: gift.data?.amtCharged, refused }));
} finally {
  await mock.close();
}
