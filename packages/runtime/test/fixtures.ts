import type { ApiDefinition } from '../src/index.js';

/** Payments-like and MTN-like API definitions, as client-gen writes them from the specs. */
export function paymentsDefinition(baseUrl: string): ApiDefinition {
  return {
    name: 'centili-payments',
    defaultBaseUrl: baseUrl,
    auth: { type: 'oauth2', tokenUrl: `${baseUrl}/auth/realms/api/protocol/openid-connect/token` },
    operations: [
      { operationId: 'createToken', method: 'POST', path: '/auth/realms/api/protocol/openid-connect/token', authenticated: false, idempotencyKey: false },
      { operationId: 'startTransaction', method: 'POST', path: '/auth/transactions', authenticated: true, idempotencyKey: true },
      { operationId: 'getTransaction', method: 'GET', path: '/auth/transactions/{transactionId}', authenticated: true, idempotencyKey: true },
      { operationId: 'submitPin', method: 'POST', path: '/auth/transactions/{transactionId}/pin', authenticated: true, idempotencyKey: true },
      { operationId: 'assignData', method: 'POST', path: '/datagifting/v1/service/transaction', authenticated: true, idempotencyKey: false },
      { operationId: 'getBalance', method: 'GET', path: '/datagifting/v1/services/balance', authenticated: true, idempotencyKey: false },
    ],
  };
}

export function mtnDefinition(baseUrl: string): ApiDefinition {
  return {
    name: 'mtn-ng-data-gifting',
    defaultBaseUrl: baseUrl,
    auth: { type: 'apiKey', header: 'X-API-Key' },
    operations: [
      {
        operationId: 'giftData',
        method: 'POST',
        path: '/v1/datagifting/customers/{senderMsisdn}/dataGifting',
        authenticated: true,
        idempotencyKey: false,
        requestReference: { header: 'transactionId', pattern: '^[A-Za-z0-9+/=-]{5,20}$', minLength: 5, maxLength: 20 },
      },
    ],
  };
}

export const credentials = { clientId: 'merchant-app', username: 'merchant@example.com', password: 'pa55-w0rd-secret' };
