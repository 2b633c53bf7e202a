import { randomUUID } from 'node:crypto';
import type { ContractCase, ContractSuite } from './cases.js';
import type { ContractFailure } from './check.js';
import { acceptedCredentials } from './credentials.js';
import { deepEqual, evaluate, sameAnswer, type Answer, type OutgoingRequest, type Sender } from './http.js';

/** What a check is about: the answer's shape, a flow of requests, idempotency keys, credentials, or a documented error. */
export type CheckKind = 'shape' | 'flow' | 'idempotency' | 'auth' | 'negative';

/** The kinds, in report order. */
export const checkKinds: readonly CheckKind[] = ['shape', 'flow', 'idempotency', 'auth', 'negative'];

/** A check broke the contract: the failures, each naming the step. */
export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
  /**
   * @param failures - What broke, each naming the step.
   * @param status - The status of the answer that broke it, when there was one.
   */
  constructor(
    readonly failures: ContractFailure[],
    readonly status?: number,
  ) {
    super(failures.map((failure) => failure.message).join('; '));
  }
}

/**
 * Thrown by a check that ran and found the server's answers cannot decide it (a new key got the
 * very answer of the first, and nothing in it tells a replay from a new execution): the check is
 * reported skipped with the reason, never passed and never failed.
 */
export class CheckSkipped extends Error {
  override readonly name = 'CheckSkipped';
  /** @param reason - Why the answers cannot decide the check. */
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** What a behaviour check gets to talk to the server. */
export interface CheckContext {
  send: Sender;
  /** The test PIN (`--pin`); a check that needs it is skipped without it. */
  pin?: string;
  /** Sends `request` and checks its answer against the contract of `operationId` (status among `statuses`, documented headers, content type, body schema). @throws {CheckFailed} naming `step`. */
  expect(step: string, operationId: string, request: OutgoingRequest, statuses: string[]): Promise<Answer>;
  /** Checks an answer already received against the contract of `operationId`, as `expect` does. @throws {CheckFailed} naming `step`. */
  conforms(step: string, operationId: string, method: string, answer: Answer, statuses: string[]): void;
}

/** One behaviour check derived from the spec. */
export interface BehaviourCheck {
  /** `<kind>/<operationId>/<slug>`. */
  id: string;
  kind: CheckKind;
  operationId: string;
  name: string;
  /** The vendor sentence or spec element it enforces. */
  enforces: string;
  /** Executes something on a conforming server: skipped by `--read-only`. */
  changesState: boolean;
  /** Needs the test PIN: skipped without `--pin`. */
  needsPin: boolean;
  /** @returns The status of the last answer. @throws {CheckFailed} */
  run(context: CheckContext): Promise<number | undefined>;
}

interface Operation {
  operationId: string;
  method: string;
  path: string;
  pointer: string;
  raw: {
    parameters?: Array<{ name: string; in: string; $ref?: string }>;
    responses?: Record<string, { description?: string; links?: Record<string, Link>; content?: Record<string, { examples?: Record<string, { value?: unknown }> }>; $ref?: string }>;
    security?: unknown[];
  };
}

interface Link {
  operationId?: string;
  parameters?: Record<string, unknown>;
}

interface LinkedParameter {
  source: Operation;
  target: Operation;
  in: string;
  name: string;
  expression: string;
  pointer: string;
}

const unissuedToken = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYXJyaWVyLWNvbnRyYWN0IiwiZXhwIjo0MTAyNDQ0ODAwfQ.bm90LXNpZ25lZC1ieS10aGlzLXNlcnZlcg';
/** At most this many wrong PINs are sent to reach the documented 429. */
export const maxPinTries = 10;

/**
 * The behaviour checks of an API, derived from its spec (links, security schemes, the
 * `Idempotency-Key` header, documented 404/400/429) and the requests of its suite.
 */
export function deriveChecks(document: object, suite: ContractSuite): BehaviourCheck[] {
  const spec = document as { paths: Record<string, Record<string, unknown>>; components?: Record<string, Record<string, unknown>> };
  const operations = listOperations(spec);
  const byId = new Map(operations.map((operation) => [operation.operationId, operation]));
  const responses = (operation: Operation) => Object.fromEntries(Object.entries(operation.raw.responses ?? {}).map(([status, response]) => [status, resolve(spec, response) as NonNullable<Operation['raw']['responses']>[string]]));
  const links = linkedParameters(operations, (operation) => responses(operation));
  /** The body values an operation's answer hands on through its links (`$response.body#/transactionId`): what it creates. */
  const identityExpressions = (operation: Operation) => [...new Set(links.filter((link) => link.source === operation && link.expression.startsWith('$response.body#/')).map((link) => link.expression))];
  const firstPositive = (operationId: string) => suite.cases.find((c) => c.operationId === operationId && c.kind === 'positive');
  const parameterOf = (operation: Operation, name: string) => (operation.raw.parameters ?? []).map((p) => resolve(spec, p) as { name: string; in: string }).find((p) => p.name === name);
  const declaresKey = (operation: Operation) => (operation.raw.parameters ?? []).some((p) => (resolve(spec, p) as { name: string; in: string }).name === 'Idempotency-Key');

  /** The request of an operation's first positive case, with path values, body fields or headers replaced. */
  const requestOf = (operationId: string, change: { path?: Record<string, string>; body?: Record<string, unknown>; headers?: Record<string, string>; auth?: OutgoingRequest['auth'] } = {}): OutgoingRequest => {
    const testCase = firstPositive(operationId)!;
    const operation = byId.get(operationId)!;
    const pathValues = { ...testCase.request.pathParameters, ...change.path };
    const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(pathValues[name] ?? ''));
    const body = change.body && isRecord(testCase.request.body) ? { ...testCase.request.body, ...change.body } : testCase.request.body;
    return { method: testCase.request.method, path, query: testCase.request.query, headers: freshKey({ ...testCase.request.headers, ...change.headers }, change.headers), contentType: testCase.request.contentType, body, auth: change.auth };
  };
  const checks: BehaviourCheck[] = [];
  const add = (check: Omit<BehaviourCheck, 'id'> & { slug: string }) => {
    const { slug, ...rest } = check;
    checks.push({ id: `${check.kind}/${check.operationId}/${slug}`, ...rest });
  };

  // Auth: every secured operation refuses a malformed token, a token the server never issued, a wrong API key.
  const { kinds, apiKeyHeader } = acceptedCredentials(document);
  for (const operation of operations) {
    if (!firstPositive(operation.operationId)) continue;
    const secured = (operation.raw.security ?? (spec as { security?: unknown[] }).security ?? []).length > 0;
    if (!secured || !responses(operation)['401']) continue;
    const unauthorized = async (context: CheckContext, auth: Record<string, string>) => (await context.expect('the request', operation.operationId, requestOf(operation.operationId, { auth }), ['401'])).status;
    if (kinds.has('token')) {
      add({
        kind: 'auth', operationId: operation.operationId, slug: 'malformed-token', name: 'a malformed bearer token gets the documented 401',
        enforces: `"Authorization header must always contain a Bearer token obtained using tokenURL"; ${operation.pointer}/responses/401`,
        changesState: false, needsPin: false, run: (context) => unauthorized(context, { Authorization: 'Bearer not a token!' }),
      });
      add({
        kind: 'auth', operationId: operation.operationId, slug: 'unissued-token', name: 'a well-formed token the server never issued gets the documented 401',
        enforces: `"Authorization header must always contain a Bearer token obtained using tokenURL"; ${operation.pointer}/responses/401`,
        changesState: false, needsPin: false, run: (context) => unauthorized(context, { Authorization: `Bearer ${unissuedToken}` }),
      });
    }
    if (kinds.has('apiKey') && apiKeyHeader) {
      add({
        kind: 'auth', operationId: operation.operationId, slug: 'wrong-api-key', name: `a wrong ${apiKeyHeader} gets the documented 401`,
        enforces: `the security scheme "apikey ${apiKeyHeader}"; ${operation.pointer}/responses/401`,
        changesState: false, needsPin: false, run: (context) => unauthorized(context, { [apiKeyHeader]: `carrier-contract-wrong-key-${randomUUID()}` }),
      });
    }
  }

  // Lifecycles: a source whose answer links an id into the path of other operations.
  const pathLinks = links.filter((link) => link.in === 'path');
  /** Starts a fresh resource through the source of a path link; returns the id the link carries. */
  const create = async (context: CheckContext, link: LinkedParameter, step = 'create') => {
    const answer = await context.expect(`${step}: ${link.source.operationId}`, link.source.operationId, requestOf(link.source.operationId), ['200', '201']);
    const value = evaluate(link.expression, answer);
    if (typeof value !== 'string' && typeof value !== 'number') throw new CheckFailed([{ rule: 'link', pointer: link.pointer, message: `${step}: ${link.source.operationId} answered no value at ${link.expression}` }]);
    return String(value);
  };
  const pinField = (operation: Operation) => isRecord(firstPositive(operation.operationId)?.request.body) && 'pin' in (firstPositive(operation.operationId)!.request.body as object);
  const wrongPin = (pin: string) => (/^\d+$/.test(pin) ? [...pin].map((digit) => String((Number(digit) + 1) % 10)).join('') : `${pin}x`);

  const readers = pathLinks.filter((link) => link.target.method === 'get');
  const changers = pathLinks.filter((link) => link.target.method !== 'get');
  for (const reader of readers) {
    for (const changer of changers.filter((candidate) => candidate.source === reader.source && candidate.name === reader.name)) {
      const needsPin = pinField(changer.target);
      add({
        kind: 'flow', operationId: changer.target.operationId, slug: `${reader.source.operationId}-${reader.target.operationId}-${changer.target.operationId}-${reader.target.operationId}`,
        name: `${reader.source.operationId} → ${reader.target.operationId} (as created) → ${changer.target.operationId} → ${reader.target.operationId} (state changed)`,
        enforces: `${reader.pointer} and ${changer.pointer}: the id ${reader.source.operationId} answers is the one ${reader.target.operationId} and ${changer.target.operationId} take`,
        changesState: true, needsPin,
        run: async (context) => {
          const id = await create(context, reader);
          const before = await context.expect(`read: ${reader.target.operationId}`, reader.target.operationId, requestOf(reader.target.operationId, { path: { [reader.name]: id } }), ['200']);
          const echoed = evaluate(reader.expression, before);
          if (echoed !== undefined && String(echoed) !== id) throw failed('link', reader.pointer, `read: ${reader.target.operationId} answered ${reader.expression.replace('$response.body#', '')} "${String(echoed)}", not the created "${id}"`);
          const change = await context.expect(`change: ${changer.target.operationId}`, changer.target.operationId, requestOf(changer.target.operationId, { path: { [changer.name]: id }, ...(needsPin ? { body: { pin: context.pin } } : {}) }), ['200']);
          const changedId = evaluate(changer.expression, change);
          if (changedId !== undefined && String(changedId) !== id) throw failed('link', changer.pointer, `change: ${changer.target.operationId} answered "${String(changedId)}", not "${id}"`);
          const after = await context.expect(`read again: ${reader.target.operationId}`, reader.target.operationId, requestOf(reader.target.operationId, { path: { [reader.name]: id } }), ['200']);
          if (sameAnswer(before, after)) throw failed('state-change', '#/', `read again: ${reader.target.operationId} answers exactly as before ${changer.target.operationId} (${after.text.slice(0, 200)})`);
          const status = (after.json as { transactionStatus?: unknown } | undefined)?.transactionStatus;
          if (needsPin && status !== undefined && status !== 'COMPLETED') throw failed('state-change', '/transactionStatus', `read again: after the correct PIN transactionStatus is "${String(status)}", not the document's "COMPLETED"`);
          if (!needsPin && (before.json as { transactionStatus?: unknown } | undefined)?.transactionStatus === 'COMPLETED') throw failed('state-change', '/transactionStatus', 'read: a transaction just started is already COMPLETED');
          return after.status;
        },
      });
    }
  }

  // Data flows: a source whose answer links values into the query of readers (assign → list, balance).
  const queryLinks = links.filter((link) => link.in === 'query' && link.target.method === 'get');
  for (const source of new Set(queryLinks.map((link) => link.source))) {
    const targets = queryLinks.filter((link) => link.source === source);
    const list = targets.find((link) => link.target.operationId === 'listTransactions');
    const balance = targets.find((link) => link.target.operationId === 'getBalance');
    if (!list || !balance) continue;
    add({
      kind: 'flow', operationId: source.operationId, slug: `${source.operationId}-${list.target.operationId}-${balance.target.operationId}`,
      name: `${source.operationId} → ${list.target.operationId} (listed) → ${balance.target.operationId} (assignedAmount raised by amount)`,
      enforces: `${list.pointer}, ${balance.pointer}: "Once the data has been assigned you can use the following GET requests to check on the services, balance and transactions"`,
      changesState: true, needsPin: false,
      run: async (context) => {
        const fill = (link: LinkedParameter, answer: Answer) => {
          const request = requestOf(link.target.operationId);
          const query = { ...request.query };
          for (const other of targets.filter((candidate) => candidate.target === link.target)) query[other.name] = String(evaluate(other.expression, answer));
          return { ...request, query };
        };
        const assignRequest = requestOf(source.operationId);
        const amount = Number((assignRequest.body as { amount?: unknown }).amount);
        const balanceRequest = requestOf(balance.target.operationId);
        const balanceBefore = await context.expect(`balance before: ${balance.target.operationId}`, balance.target.operationId, { ...balanceRequest, query: { ...balanceRequest.query, serviceKey: String((assignRequest.body as { serviceKey?: unknown }).serviceKey) } }, ['200']);
        const assigned = await context.expect(`assign: ${source.operationId}`, source.operationId, assignRequest, ['200']);
        const listed = await context.expect(`list: ${list.target.operationId}`, list.target.operationId, fill(list, assigned), ['200']);
        const id = (assigned.json as { transactionId?: unknown }).transactionId;
        if (!Array.isArray(listed.json) || !listed.json.some((item) => isRecord(item) && item.transactionId === id)) throw failed('listed', '#/', `list: transaction "${String(id)}" is not among the ${Array.isArray(listed.json) ? listed.json.length : 0} listed for its serviceKey and msisdn`);
        const balanceAfter = await context.expect(`balance after: ${balance.target.operationId}`, balance.target.operationId, fill(balance, assigned), ['200']);
        const sum = (answer: Answer) => (Array.isArray(answer.json) ? answer.json.reduce((total: number, pool) => total + Number((pool as { assignedAmount?: unknown }).assignedAmount ?? 0), 0) : Number.NaN);
        if (Number.isFinite(amount) && sum(balanceAfter) - sum(balanceBefore) !== amount) {
          throw failed('balance', '/assignedAmount', `balance: assignedAmount went from ${sum(balanceBefore)} to ${sum(balanceAfter)} after assigning ${amount} MB`);
        }
        return balanceAfter.status;
      },
    });
  }

  // Documented negatives: an id the server never issued; wrong PINs.
  for (const link of pathLinks) {
    const notFound = responses(link.target)['404'];
    if (!notFound) continue;
    const documentedMessage = Object.values(Object.values(notFound.content ?? {})[0]?.examples ?? {})
      .map((example) => (example.value as { message?: unknown } | undefined)?.message)
      .find((message) => typeof message === 'string') as string | undefined;
    add({
      kind: 'negative', operationId: link.target.operationId, slug: `unknown-${slugOf(link.name)}`, name: `a ${link.name} the server never issued gets the documented 404`,
      enforces: `"404 | ${notFound.description ?? 'not found'}"; ${link.target.pointer}/responses/404`,
      changesState: false, needsPin: false,
      run: async (context) => {
        const answer = await context.expect('the request', link.target.operationId, requestOf(link.target.operationId, { path: { [link.name]: `carrier-contract-unknown-${randomUUID()}` } }), ['404']);
        const message = (answer.json as { message?: unknown } | undefined)?.message;
        if (documentedMessage && message !== documentedMessage) throw failed('message', '/message', `the 404 says "${String(message)}", the document "${documentedMessage}"`);
        return answer.status;
      },
    });
    if (!pinField(link.target) || !responses(link.target)['400'] || !responses(link.target)['429']) continue;
    add({
      kind: 'negative', operationId: link.target.operationId, slug: 'wrong-pin', name: 'a wrong PIN gets the documented 400',
      enforces: `"400 | Invalid PIN sent, request can be retried"; ${link.target.pointer}/responses/400`,
      changesState: true, needsPin: true,
      run: async (context) => {
        const id = await create(context, link);
        return (await context.expect('a wrong PIN', link.target.operationId, requestOf(link.target.operationId, { path: { [link.name]: id }, body: { pin: wrongPin(context.pin!) } }), ['400'])).status;
      },
    });
    add({
      kind: 'negative', operationId: link.target.operationId, slug: 'pin-limit', name: `repeated wrong PINs get the documented 429 within ${maxPinTries} tries`,
      enforces: `"429 | Number of attempts over the max retry limit, request can not be retried."; ${link.target.pointer}/responses/429`,
      changesState: true, needsPin: true,
      run: async (context) => {
        const id = await create(context, link);
        for (let attempt = 1; attempt <= maxPinTries; attempt++) {
          const answer = await context.expect(`wrong PIN ${attempt}`, link.target.operationId, requestOf(link.target.operationId, { path: { [link.name]: id }, body: { pin: wrongPin(context.pin!) } }), ['400', '429']);
          if (answer.status === 429) return 429;
        }
        throw failed('pin-limit', '#/status', `no 429 after ${maxPinTries} wrong PINs: every one got 400, the PIN can be guessed`);
      },
    });
  }

  // Idempotency: every operation that declares the Idempotency-Key header.
  const keySentence = '"When repeating the request with the same key, response will either be 409 conflict if the request is currently executing or the same response returned originally, but the request will not be executed twice."';
  for (const operation of operations.filter(declaresKey)) {
    if (!firstPositive(operation.operationId)) continue;
    const link = pathLinks.find((candidate) => candidate.target === operation);
    const needsPin = pinField(operation);
    const pointer = `${operation.pointer}/parameters (Idempotency-Key)`;
    /** The operation's request on a fresh resource (when its path takes a linked id), with a key. */
    const prepare = async (context: CheckContext) => {
      const id = link ? await create(context, link) : undefined;
      const request = (key: string, body?: Record<string, unknown>) => requestOf(operation.operationId, { path: link && id ? { [link.name]: id } : {}, headers: { 'Idempotency-Key': key }, body });
      return { id, request };
    };
    const documented = Object.keys(responses(operation)).filter((status) => status !== '409');
    const stateChanger = changers.find((candidate) => candidate.source === link?.source && !pinField(candidate.target) && candidate.target !== operation);
    const wrong = (context: CheckContext) => ({ pin: wrongPin(context.pin!) });
    const right = (context: CheckContext) => ({ pin: context.pin! });

    add({
      kind: 'idempotency', operationId: operation.operationId, slug: 'replay', name: 'the same key again gets the same status and body, and does not execute again',
      enforces: `${keySentence}; ${pointer}`, changesState: true, needsPin,
      run: async (context) => {
        const key = randomUUID();
        const { id, request } = await prepare(context);
        if (needsPin) {
          // A wrong PIN, then replays: had they executed, the attempts would be used up and the right PIN refused.
          const first = await context.expect('a wrong PIN', operation.operationId, request(key, wrong(context)), ['400']);
          for (let replay = 1; replay < maxPinTries; replay++) {
            const again = await context.expect(`replay ${replay}`, operation.operationId, request(key, wrong(context)), documented);
            if (!sameAnswer(first, again)) throw failed('replay', '#/', `replay ${replay}: ${again.status} ${again.text.slice(0, 200)}, not the original ${first.status} ${first.text.slice(0, 200)}`);
          }
          const correct = await context.expect('the right PIN under a new key', operation.operationId, request(randomUUID(), right(context)), documented);
          if (correct.status !== 200) throw failed('executed-again', '#/status', `the right PIN under a new key got ${correct.status} after one wrong PIN replayed ${maxPinTries - 1} times: the replays were executed`);
          return correct.status;
        }
        const first = await context.expect('first', operation.operationId, request(key), documented);
        if (operation.method === 'get' && stateChanger && id) {
          // A replayed read answers as the first time, although the resource changed since.
          await context.expect(`change: ${stateChanger.target.operationId}`, stateChanger.target.operationId, requestOf(stateChanger.target.operationId, { path: { [stateChanger.name]: id } }), ['200']);
        }
        const again = await context.expect('the same key again', operation.operationId, request(key), documented);
        if (!sameAnswer(first, again)) throw failed('replay', '#/', `the same key again got ${again.status} ${again.text.slice(0, 200)}, not the original ${first.status} ${first.text.slice(0, 200)}${operation.method === 'get' ? '' : ' (it was executed again)'}`);
        return again.status;
      },
    });
    add({
      kind: 'idempotency', operationId: operation.operationId, slug: 'new-key', name: 'a different key executes anew',
      enforces: `${keySentence} (a new key is a new request); ${pointer}`, changesState: true, needsPin,
      run: async (context) => {
        const { id, request } = await prepare(context);
        if (needsPin) {
          await context.expect('a wrong PIN', operation.operationId, request(randomUUID(), wrong(context)), ['400']);
          return (await context.expect('the right PIN under a new key', operation.operationId, request(randomUUID(), right(context)), ['200'])).status;
        }
        const first = await context.expect('first', operation.operationId, request(randomUUID()), documented);
        const changedState = operation.method === 'get' && stateChanger !== undefined && id !== undefined;
        if (changedState) {
          await context.expect(`change: ${stateChanger.target.operationId}`, stateChanger.target.operationId, requestOf(stateChanger.target.operationId, { path: { [stateChanger.name]: id } }), ['200']);
        } else if (operation.method === 'get') {
          throw new CheckSkipped('a read with nothing to change its answer between the two keys: a replay and a new execution answer alike');
        }
        const second = await context.expect('a new key', operation.operationId, request(randomUUID()), documented);
        // Equal answers alone do not prove a replay (a deterministic release answers the same 200
        // to a new key): only what tells the two apart decides.
        if (second.headers.get('idempotent-replayed') === 'true') throw failed('new-key', '#/headers/Idempotent-Replayed', `a new key was answered as a replay (Idempotent-Replayed: true): it was not executed anew`);
        // The ids the operation's answer hands on (its links, e.g. startTransaction's transactionId):
        // a new execution creates a new one, a replay repeats it.
        for (const expression of identityExpressions(operation)) {
          const before = evaluate(expression, first);
          const after = evaluate(expression, second);
          if (before === undefined || after === undefined) continue;
          if (deepEqual(before, after)) throw failed('new-key', `#${expression.replace(/^\$response\.body#?/, '')}`, `a new key got the id of the first key's answer (${expression} = ${JSON.stringify(after)}): it was not executed anew`);
          return second.status;
        }
        if (!sameAnswer(first, second)) return second.status;
        // A read whose state was changed in between must answer the new state: the same answer is a replay.
        if (changedState) throw failed('new-key', '#/', `a new key got the very answer of the first key after ${stateChanger.target.operationId} changed the state (${second.text.slice(0, 200)}): it was not executed anew`);
        throw new CheckSkipped(`a new key got the same ${second.status} answer as the first, and nothing in it (no id the operation creates, no Idempotent-Replayed header) tells a replay from a new execution`);
      },
    });
    // A key reused with another request (the spec's 422, specs/shared/responses/IdempotencyKeyReused.yaml):
    // the other request is the right PIN after a wrong one, or another positive case's body.
    const reused = responses(operation)['422'];
    const firstBody = firstPositive(operation.operationId)!.request.body;
    const otherBody = suite.cases.find((c) => c.operationId === operation.operationId && c.kind === 'positive' && isRecord(c.request.body) && !deepEqual(c.request.body, firstBody))?.request.body as Record<string, unknown> | undefined;
    if (reused && (needsPin || otherBody)) {
      add({
        kind: 'idempotency', operationId: operation.operationId, slug: 'other-request', name: 'the same key with a different request gets the documented 422, and the key keeps its first answer',
        enforces: `"422 | ${reused.description ?? 'Idempotency-Key reused'}" (x-inferred: IETF httpapi-idempotency-key-header §2.7); ${operation.pointer}/responses/422`,
        changesState: true, needsPin,
        run: async (context) => {
          const key = randomUUID();
          const { request } = await prepare(context);
          const [before, other] = needsPin ? [wrong(context), right(context)] : [undefined, otherBody];
          const first = await context.expect('first', operation.operationId, request(key, before), needsPin ? ['400'] : documented);
          const answer = await context.send(request(key, other));
          if (answer.status !== 422) {
            const replayed = answer.headers.get('idempotent-replayed') === 'true' || sameAnswer(first, answer);
            throw failed('other-request', '#/status', replayed
              ? `the same key with a different request got the first request's ${first.status} as if it were a replay: a caller who reused the key by mistake believes the second request was carried out`
              : `the same key with a different request got ${answer.status} ${answer.text.slice(0, 150)}, not the documented 422: it was executed under a key already used`);
          }
          context.conforms('the same key with a different request', operation.operationId, request(key).method, answer, ['422']);
          // Nothing of the other request ran: the key still answers its first request as before.
          const again = await context.expect('the first request again', operation.operationId, request(key, before), [...documented, '422']);
          if (!sameAnswer(first, again)) throw failed('other-request', '#/', `after the refused reuse, the key's first request got ${again.status} ${again.text.slice(0, 150)}, not its original ${first.status}: the key lost its first answer`);
          if (needsPin) {
            // The right PIN was not used up under the reused key: it still confirms under a new one.
            return (await context.expect('the right PIN under a new key', operation.operationId, request(randomUUID(), right(context)), ['200'])).status;
          }
          return answer.status;
        },
      });
    }
    add({
      kind: 'idempotency', operationId: operation.operationId, slug: 'in-flight', name: 'the same key sent twice at once gets 409 or the same answer',
      enforces: `${keySentence}; ${operation.pointer}/responses/409`, changesState: true, needsPin,
      run: async (context) => {
        const key = randomUUID();
        const { request } = await prepare(context);
        const body = needsPin ? right(context) : undefined;
        const [a, b] = await Promise.all([
          context.expect('first of two at once', operation.operationId, request(key, body), [...documented, '409']),
          context.expect('second of two at once', operation.operationId, request(key, body), [...documented, '409']),
        ]);
        if (a.status !== 409 && b.status !== 409 && !sameAnswer(a, b)) throw failed('in-flight', '#/', `two requests with one key got different answers: ${a.status} ${a.text.slice(0, 150)} and ${b.status} ${b.text.slice(0, 150)} (both executed)`);
        return b.status;
      },
    });
  }
  return checks;
}

/**
 * "Unique key for this request": the spec's example `Idempotency-Key` is replaced with a new one
 * in every request, unless the check sets the key itself.
 */
export function freshKey(headers: Record<string, string>, chosen: Record<string, string> = {}): Record<string, string> {
  const name = Object.keys(headers).find((candidate) => candidate.toLowerCase() === 'idempotency-key');
  if (!name || Object.keys(chosen).some((candidate) => candidate.toLowerCase() === 'idempotency-key')) return headers;
  return { ...headers, [name]: randomUUID() };
}

const failed = (rule: string, pointer: string, message: string) => new CheckFailed([{ rule, pointer, message }]);

function listOperations(spec: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      const operation = raw as Operation['raw'] & { operationId?: string };
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method) || !operation?.operationId) continue;
      operations.push({ operationId: operation.operationId, method, path, pointer: `#/paths/${escape(path)}/${method}`, raw: operation });
    }
  }
  return operations;
}

function linkedParameters(operations: Operation[], responsesOf: (operation: Operation) => NonNullable<Operation['raw']['responses']>): LinkedParameter[] {
  const found: LinkedParameter[] = [];
  for (const source of operations) {
    for (const [status, response] of Object.entries(responsesOf(source))) {
      if (!status.startsWith('2')) continue;
      for (const [name, link] of Object.entries(response.links ?? {})) {
        const target = operations.find((candidate) => candidate.operationId === link.operationId);
        if (!target) continue;
        for (const [qualified, expression] of Object.entries(link.parameters ?? {})) {
          if (typeof expression !== 'string' || !expression.startsWith('$response.body#')) continue;
          const [where, parameterName] = qualified.includes('.') ? (qualified.split('.', 2) as [string, string]) : [undefined, qualified];
          const inPath = target.path.includes(`{${parameterName}}`);
          found.push({ source, target, in: where ?? (inPath ? 'path' : 'query'), name: parameterName, expression, pointer: `${source.pointer}/responses/${status}/links/${escape(name)}` });
        }
      }
    }
  }
  return found;
}

function resolve(spec: object, node: unknown): unknown {
  let current = node;
  for (let hops = 0; hops < 8 && isRecord(current) && typeof current.$ref === 'string'; hops++) {
    current = (current.$ref as string)
      .slice(2)
      .split('/')
      .reduce<unknown>((value, segment) => (value as Record<string, unknown>)?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return current;
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const slugOf = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Which kind a shape case of the suite reports under: a missing-credentials case is an auth check. */
export function kindOfCase(testCase: ContractCase): CheckKind {
  return testCase.id.endsWith('/missing-credentials') ? 'auth' : 'shape';
}
