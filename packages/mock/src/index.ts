export { centiliTokenPath, startMock, type RunningMock, type StartMockOptions } from './start-mock.js';
export { MockStartError, type MockErrorCode } from './errors.js';
