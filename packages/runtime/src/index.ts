export { createCarrierFetch, getRequestContext, type CarrierFetch, type CarrierFetchOptions, type ClientOptions } from './carrier-fetch.js';
export { TokenManager, type TokenManagerOptions } from './token-manager.js';
export { createAuthProvider, type ApiKeyAuth, type AuthProvider, type OAuth2Auth } from './auth.js';
export { createOperationMatcher, type ApiDefinition, type OperationDefinition } from './api-definition.js';
export {
  CarrierApiError,
  CarrierAuthError,
  CarrierNetworkError,
  CarrierValidationError,
  isCarrierApiError,
  type RequestContext,
} from './errors.js';
export { backoffDelay, isSafeToRetry, parseRetryAfter, resolveRetryPolicy, type RetryEvent, type RetryOptions } from './retry.js';
export { assertRequestReference, generateRequestReference } from './request-reference.js';
export { carrierSdkMiddleware, errorFromResponse, expectData } from './result.js';
