export {
  createCarrierFetch,
  DEFAULT_DEADLINE_MS,
  DEFAULT_TIMEOUT_MS,
  getRequestContext,
  normalizeBaseUrl,
  type CarrierEvent,
  type CarrierFetch,
  type CarrierFetchOptions,
  type ClientOptions,
} from './carrier-fetch.js';
export { DEFAULT_MAX_RESPONSE_BYTES, discardBody, type ResponseValidator } from './read-response.js';
export { createLightRequests, isLightRequest, type LightRequest } from './light-request.js';
export { MIN_SECRET_LENGTH_ANYWHERE, REDACTED, redactHeaders, redactText, redactValue } from './redact.js';
export { TokenManager, type TokenManagerOptions } from './token-manager.js';
export { createAuthProvider, type ApiKeyAuth, type AuthProvider, type OAuth2Auth } from './auth.js';
export { createOperationMatcher, type ApiDefinition, type OperationDefinition } from './api-definition.js';
export {
  CarrierAbortError,
  CarrierApiError,
  CarrierAuthError,
  CarrierError,
  CarrierIdempotencyKeyReusedError,
  createApiError,
  IDEMPOTENCY_KEY_REUSED,
  CarrierNetworkError,
  CarrierParseError,
  CarrierResponseValidationError,
  CarrierTimeoutError,
  CarrierValidationError,
  isCarrierAbortError,
  isCarrierApiError,
  isCarrierError,
  isCarrierIdempotencyKeyReusedError,
  isCarrierNetworkError,
  isCarrierParseError,
  isCarrierResponseValidationError,
  isCarrierTimeoutError,
  PARSE_ERROR_EXCERPT_CHARS,
  type ParseFailure,
  type RequestContext,
  type ResponseIssue,
} from './errors.js';
export { backoffDelay, isSafeToRetry, parseRetryAfter, resolveRetryPolicy, type RetryEvent, type RetryOptions } from './retry.js';
export { assertRequestReference, generateRequestReference } from './request-reference.js';
export { carrierSdkErrorMiddleware, carrierSdkMiddleware, errorFromResponse, expectData, type SuccessData } from './result.js';
