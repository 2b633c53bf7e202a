export type MockErrorCode = 'UNKNOWN_API' | 'PORT_IN_USE' | 'INVALID_SPEC' | 'LISTEN_FAILED' | 'INVALID_OPTIONS' | 'STORE_UNAVAILABLE';

/** Why a mock could not start; `exitCode` is what the CLI exits with. */
export class MockStartError extends Error {
  override name = 'MockStartError';
  constructor(
    readonly code: MockErrorCode,
    message: string,
  ) {
    super(message);
  }

  get exitCode(): number {
    return this.code === 'UNKNOWN_API' || this.code === 'INVALID_OPTIONS' ? 2 : 1;
  }
}
