export { loadApis, type ApiUnderTest, type Factory } from './apis.ts';
export { callLight, callOperation, callSdk, createClientOf, kinds, type Kind } from './calls.ts';
export { buildOperationCases, type OperationCase, type SpecDocument } from './operations.ts';
export { expectedClass, outcomeClass, settle, type Settled } from './outcome.ts';
export { LOGIN_PAGE_PATH, startAnswerServer, TOKEN_MANAGER_PATH, tokenAnswer, type Answer, type ReceivedRequest } from './server.ts';
export { answerRows, baseUrlRows, MAX_RESPONSE_BYTES, SECRET, type AnswerRow, type BaseUrlRow, type Expected } from './table.ts';
