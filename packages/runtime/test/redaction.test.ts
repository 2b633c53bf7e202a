import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCarrierFetch, errorFromResponse, REDACTED, type CarrierEvent } from '../src/index.js';
import { mtnDefinition, paymentsDefinition } from './fixtures.js';
import { startFaultServer, tokenPath, type RecordedRequest } from './fault-server.js';

// Every secret a client holds, each with characters that change when JSON-, URL- or
// form-encoded, so that an echo in any of those forms is caught too.
const secrets = {
  password: 'pa55 "w0rd"+secret/1',
  clientSecret: 'client-s3cret&x=1',
  accessToken: 'eyJ.access+token/2',
  refreshToken: 'eyJ.refresh+token/3',
  apiKey: 'mtn-api-key "4"',
};
type Kind = keyof typeof secrets;
const forms = (secret: string) => [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];

/** A server that echoes back everything it was sent (headers, body, query) in every error it answers. */
function echo(request: RecordedRequest) {
  const everything = `${request.path} ${JSON.stringify(request.headers)} ${request.body} ${Object.values(secrets).join(' ')}`;
  return { code: everything, message: `you sent ${everything}`, error: 'invalid_grant', error_description: `refused ${everything}`, nested: { list: [everything], [everything]: true } };
}

/** Where a secret could leak, by name: the text each place shows after one of the scenarios. */
type Places = Record<string, string>;
const outputs: { scenario: string; kinds: Kind[]; places: Places; events: CarrierEvent[] }[] = [];

function placesOf(error: unknown, events: CarrierEvent[]): Places {
  const e = error as Error & { body?: unknown };
  return {
    message: e.message,
    stack: String(e.stack),
    body: JSON.stringify(e.body ?? null),
    cause: inspect(e.cause, { depth: 10 }),
    'JSON.stringify': JSON.stringify(e),
    'util.inspect': inspect(e, { depth: 10, showHidden: true }),
    'String()': String(e),
    'log events': JSON.stringify(events) + inspect(events, { depth: 10 }),
  };
}

let server: Awaited<ReturnType<typeof startFaultServer>>;
beforeAll(async () => {
  let tokens = 0;
  server = await startFaultServer({
    // The first grant succeeds (so that the client holds an access and a refresh token), every later one echoes.
    [`POST ${tokenPath}`]: (request) =>
      ++tokens === 1
        ? { status: 200, body: { access_token: secrets.accessToken, refresh_token: secrets.refreshToken, expires_in: 300, refresh_expires_in: 1800 } }
        : { status: 401, body: echo(request) },
    'POST /auth/transactions': (request) => ({ status: 400, body: echo(request), headers: { 'X-Request-Id': `req ${secrets.apiKey}` } }),
    'GET /auth/transactions/t-1': () => ({ status: 401, body: {} }),
    'POST /v1/datagifting/customers/234/dataGifting': (request) => ({ status: 400, body: echo(request) }),
  });
  const oauth = { clientId: 'app', username: 'merchant', password: secrets.password, clientSecret: secrets.clientSecret };
  const oauthKinds: Kind[] = ['password', 'clientSecret', 'accessToken', 'refreshToken'];
  const json = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"serviceKey":"abc"}' };

  // 1. An API's error body echoes the secrets.
  {
    const events: CarrierEvent[] = [];
    const fetch = createCarrierFetch({ definition: paymentsDefinition(server.url), auth: oauth, retry: false, onEvent: (event) => events.push(event) });
    const error = await errorFromResponse(await fetch(`${server.url}/auth/transactions`, json));
    outputs.push({ scenario: 'API error body', kinds: oauthKinds, places: placesOf(error, events), events });
  }
  // 2. The token endpoint's error echoes them (a 401 makes the client renew: refresh grant, then password grant).
  {
    const events: CarrierEvent[] = [];
    const fetch = createCarrierFetch({ definition: paymentsDefinition(server.url), auth: oauth, retry: false, onEvent: (event) => events.push(event) });
    tokens = 0;
    const error = await fetch(`${server.url}/auth/transactions/t-1`).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CarrierAuthError', status: 401 });
    outputs.push({ scenario: 'token endpoint error', kinds: oauthKinds, places: placesOf(error, events), events });
  }
  // 3. The network layer's error (and its cause) names them.
  {
    const events: CarrierEvent[] = [];
    tokens = 0;
    const failing = (async (input: Request) => {
      if (new URL(input.url).pathname === tokenPath) return fetch(input);
      const all = Object.values(secrets).join(' ');
      throw new TypeError(`fetch failed for ${input.headers.get('authorization')} ${all}`, { cause: new Error(`socket said ${all}`) });
    }) as typeof fetch;
    const carrierFetch = createCarrierFetch({ definition: paymentsDefinition(server.url), auth: oauth, retry: false, fetch: failing, onEvent: (event) => events.push(event) });
    const error = await carrierFetch(`${server.url}/auth/transactions`, json).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CarrierNetworkError' });
    outputs.push({ scenario: 'network error cause', kinds: oauthKinds, places: placesOf(error, events), events });
  }
  // 4. MTN: the API key, echoed in the body and in the request id.
  {
    const events: CarrierEvent[] = [];
    const fetch = createCarrierFetch({ definition: mtnDefinition(server.url), auth: { apiKey: secrets.apiKey }, retry: false, onEvent: (event) => events.push(event) });
    const error = await errorFromResponse(await fetch(`${server.url}/v1/datagifting/customers/234/dataGifting?nodeid=n`, json));
    outputs.push({ scenario: 'API error body (API key)', kinds: ['apiKey'], places: placesOf(error, events), events });
  }
  {
    const events: CarrierEvent[] = [];
    const failing = (async (input: Request) => {
      throw new TypeError(`fetch failed for ${input.headers.get('x-api-key')}`, { cause: new Error(`socket said ${secrets.apiKey}`) });
    }) as typeof fetch;
    const carrierFetch = createCarrierFetch({ definition: mtnDefinition(server.url), auth: { apiKey: secrets.apiKey }, retry: false, fetch: failing, onEvent: (event) => events.push(event) });
    const error = await carrierFetch(`${server.url}/v1/datagifting/customers/234/dataGifting?nodeid=n`, json).catch((e: unknown) => e);
    outputs.push({ scenario: 'network error cause (API key)', kinds: ['apiKey'], places: placesOf(error, events), events });
  }
});
afterAll(() => server.close());

const placeNames = ['message', 'stack', 'body', 'cause', 'JSON.stringify', 'util.inspect', 'String()', 'log events'];
const table = (Object.keys(secrets) as Kind[]).flatMap((kind) => placeNames.map((place) => ({ kind, place })));

describe('no secret leaks, whatever the server echoes', () => {
  it.each(table)('$kind never appears in $place', ({ kind, place }) => {
    const relevant = outputs.filter((output) => output.kinds.includes(kind));
    expect(relevant.length).toBeGreaterThan(0);
    for (const { scenario, places } of relevant) {
      for (const form of forms(secrets[kind])) expect(places[place], `${scenario}: ${form}`).not.toContain(form);
    }
  });

  it('the echoes were there to leak, and were masked', () => {
    for (const { scenario, places } of outputs) expect(`${places.message} ${places.cause}`, scenario).toContain(REDACTED);
  });

  it('log events carry credential headers redacted', () => {
    const sent = outputs.flatMap((output) => output.events).filter((event) => event.type === 'request');
    expect(sent.length).toBeGreaterThan(0);
    for (const event of sent) {
      const credential = event.headers!.authorization ?? event.headers!['x-api-key'];
      expect(credential).toBe(REDACTED);
    }
  });
});
