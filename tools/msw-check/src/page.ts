// The page of the browser test: a web app that tests its payments integration in the browser,
// with MSW's service worker and the in-process sandbox, through the light client. It writes what
// it saw into `window.outcome`; the test reads it.
import { setupWorker } from 'msw/browser';
import { createPaymentsClient, expectData } from '@carrier-api/centili-payments';
import { createSandboxHandlers } from '@carrier-api/mock/msw';

interface Outcome {
  started?: string;
  pinStatuses: number[];
  replayed?: { sameId: boolean; header: string | null };
  startsInJournal?: number;
  error?: string;
}

declare global {
  interface Window {
    outcome?: Outcome;
  }
}

const outcome: Outcome = { pinStatuses: [] };
try {
  const { handlers, sandbox } = createSandboxHandlers({ apis: ['centili-payments'], pin: '4321', maxPinAttempts: 3 });
  await setupWorker(...handlers).start({ serviceWorker: { url: '/mockServiceWorker.js' }, onUnhandledRequest: 'error', quiet: true });
  // No base URL, no token URL: the spec's own servers, which the worker answers.
  const payments = createPaymentsClient({ auth: { clientId: 'web-shop', username: 'merchant', password: 'secret' }, retry: false });
  const start = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.99' };
  const started = await expectData(payments.POST('/auth/transactions', { body: start, params: { header: { 'Idempotency-Key': 'order-1' } } }));
  outcome.started = started.transactionId;
  for (const pin of ['0000', '0001', '0002', '4321']) {
    const { response } = await payments.POST('/auth/transactions/{transactionId}/pin', { params: { path: { transactionId: started.transactionId! } }, body: { pin } });
    outcome.pinStatuses.push(response.status);
  }
  const again = await payments.POST('/auth/transactions', { body: start, params: { header: { 'Idempotency-Key': 'order-1' } } });
  outcome.replayed = { sameId: again.data?.transactionId === started.transactionId, header: again.response.headers.get('idempotent-replayed') };
  outcome.startsInJournal = (await sandbox.requests({ operationId: 'startTransaction' })).length;
} catch (error) {
  outcome.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
window.outcome = outcome;
