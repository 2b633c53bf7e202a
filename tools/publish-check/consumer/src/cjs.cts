// The same consumer as CommonJS: require() of the CJS builds.
import { startMock } from '@carrier-api/mock';
import { createPaymentsClient, expectData } from '@carrier-api/centili-payments';
import { createMtnNgDataGiftingSdk } from '@carrier-api/mtn-ng-data-gifting-sdk';

async function main(): Promise<void> {
  const mock = await startMock({ apis: ['centili-payments', 'mtn-ng-data-gifting'] });
  try {
    const payments = createPaymentsClient({
      baseUrl: mock.urls['centili-payments'] ?? '',
      auth: { clientId: 'consumer', username: 'merchant', password: 's3cret', tokenUrl: mock.tokenUrl('centili-payments') },
    });
    const started = await expectData(payments.POST('/auth/transactions', { body: { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' } } }));
    const mtn = createMtnNgDataGiftingSdk({ baseUrl: mock.urls['mtn-ng-data-gifting'] ?? '', auth: { apiKey: 'consumer-key' } });
    const gift = await mtn.giftData({ senderMsisdn: '2349062058464', nodeid: 'consumer', dataGiftingRequest: { receiverMsisdn: '2349062058463', productCode: 'p', sendSms: false } });
    console.log(JSON.stringify({ module: 'cjs', transactionType: started.transactionType, amtCharged: gift.data?.amtCharged }));
  } finally {
    await mock.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
