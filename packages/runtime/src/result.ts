import { getRequestContext, getResponseSecrets } from './carrier-fetch.js';
import { createApiError, type CarrierApiError, type RequestContext } from './errors.js';

/** The shape openapi-fetch resolves to. */
interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * The data type of the success branch of an openapi-fetch result: the operation's documented 2xx
 * body, with `undefined` only where the spec documents a success without a body (a `204`).
 */
export type SuccessData<R> = R extends { data: infer D; error?: never } ? D : never;

/**
 * The data of an openapi-fetch call, or a thrown CarrierApiError whose `body` is the operation's
 * documented error body: `const tx = await expectData(client.POST('/auth/transactions', {...}))`.
 * It resolves with the documented 2xx body, never with `undefined` unless the spec documents an
 * empty success (the carrier fetch rejects an empty or unreadable 2xx with a CarrierParseError).
 *
 * @param pending - What a light client's `GET`/`POST`/... returns.
 * @throws CarrierApiError on an error status (credentials masked in message and body), a
 * CarrierIdempotencyKeyReusedError where the server refused a key reused with another request; what the
 * carrier fetch threw (CarrierParseError, CarrierNetworkError, CarrierTimeoutError,
 * CarrierAbortError...) as it is.
 */
export async function expectData<R extends FetchResult>(pending: R | Promise<R>): Promise<SuccessData<R>> {
  const result = await pending;
  if (result.response.ok && result.error === undefined) return result.data as SuccessData<R>;
  throw createApiError<Exclude<R['error'], undefined>>(
    result.response.status,
    result.error as Exclude<R['error'], undefined>,
    getRequestContext(result.response) ?? contextOf(result.response),
    getResponseSecrets(result.response),
  );
}

function contextOf(response: Response): RequestContext {
  const url = new URL(response.url || 'http://unknown/');
  return {
    operationId: undefined,
    method: 'unknown',
    url: `${url.origin}${url.pathname}`,
    requestReference: undefined,
    idempotencyKey: undefined,
    attempts: 1,
    requestId: response.headers.get('x-request-id') ?? undefined,
  };
}

/**
 * Turns an error response into a CarrierApiError (for SDK middleware); reads the body once.
 * Every secret of the client that sent the request is masked in the message and the body.
 * @param response - An answer of a carrier fetch (or any Response).
 */
export async function errorFromResponse(response: Response): Promise<CarrierApiError> {
  // The carrier fetch has already read the body within maxResponseBytes (this reads its copy).
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  return createApiError(response.status, body, getRequestContext(response) ?? contextOf(response), getResponseSecrets(response));
}

/**
 * The SDKs' typescript-fetch middleware when their carrier fetch throws on error statuses
 * (`throwOnHttpError`): our errors are thrown as they are rather than wrapped in the generator's
 * FetchError, and no `post` hook makes typescript-fetch clone every response.
 */
export const carrierSdkErrorMiddleware = {
  async onError({ error }: { error: unknown }): Promise<Response | undefined> {
    throw error;
  },
};

/**
 * typescript-fetch middleware for an SDK whose fetch resolves error statuses (a fetch of your
 * own): an error status becomes the same CarrierApiError the light clients throw, and a failure
 * of ours (network, validation) is thrown as it is rather than wrapped in the generator's FetchError.
 */
export const carrierSdkMiddleware: {
  onError(context: { error: unknown }): Promise<Response | undefined>;
  post(context: { response: Response }): Promise<Response>;
} = {
  ...carrierSdkErrorMiddleware,
  async post({ response }: { response: Response }): Promise<Response> {
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  },
};
