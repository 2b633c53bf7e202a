/**
 * Why a mock could not start: an API name no spec has (`UNKNOWN_API`, CLI exit 2), options that
 * contradict each other or a store URL that is not redis:// (`INVALID_OPTIONS`, exit 2), a port
 * taken (`PORT_IN_USE`) or not listenable (`LISTEN_FAILED`), a bundle Prism refuses
 * (`INVALID_SPEC`), a Redis store that did not answer (`STORE_UNAVAILABLE`): exit 1.
 */
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
