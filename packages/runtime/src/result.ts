import { getRequestContext, getResponseSecrets } from './carrier-fetch.js';
import { CarrierApiError, type RequestContext } from './errors.js';

/** The shape openapi-fetch resolves to. */
interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * The data of an openapi-fetch call, or a thrown CarrierApiError whose `body` is the operation's
 * documented error body: `const tx = await expectData(client.POST('/auth/transactions', {...}))`.
 *
 * @param pending - What a light client's `GET`/`POST`/... returns.
 * @throws CarrierApiError on an error status (credentials masked in message and body); what the
 * carrier fetch threw (CarrierNetworkError, CarrierTimeoutError, CarrierAbortError...) as it is.
 */
export async function expectData<R extends FetchResult>(pending: R | Promise<R>): Promise<Exclude<R['data'], undefined>> {
  const result = await pending;
  if (result.response.ok && result.error === undefined) return result.data as Exclude<R['data'], undefined>;
  throw new CarrierApiError<Exclude<R['error'], undefined>>(
    result.response.status,
    result.error as Exclude<R['error'], undefined>,
    getRequestContext(result.response) ?? contextOf(result.response),
    undefined,
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
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  return new CarrierApiError(response.status, body, getRequestContext(response) ?? contextOf(response), undefined, getResponseSecrets(response));
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
export const carrierSdkMiddleware = {
  ...carrierSdkErrorMiddleware,
  async post({ response }: { response: Response }): Promise<Response> {
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  },
};
