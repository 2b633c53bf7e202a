import { parseArgs } from 'node:util';
import { MockStartError } from './errors.js';
import { startMock, type RunningMock } from './start-mock.js';

const usage = `usage: carrier-mock [apis...] [--port 4010] [--host 127.0.0.1] [--dynamic] [--verbose] [--describe-violations]
                    [--sandbox [--pin 1234] [--max-pin-attempts 3] [--token-ttl 300] [--api-key K]...
                               [--store redis://127.0.0.1:6379[/db] [--store-prefix carrier-mock:]]]

Serves a Prism mock of each API (all by default) on consecutive ports from --port and prints
"<api> <url>" per line. Stops on SIGINT or SIGTERM. --sandbox serves stateful sandboxes instead
(real tokens, transactions, PIN, Idempotency-Key replay, /__admin/ on each port); --token-ttl is
in seconds; --describe-violations makes the plain mock's 400s name the field and the rule, as the
sandbox's do; --api-key (repeatable) makes the MTN sandbox accept only those keys; --store keeps
the sandbox's state in Redis, so that every instance started with the same --store and
--store-prefix (default carrier-mock:) acts as one sandbox.`;

/** A usage mistake: one line naming it, then the usage; exit code 2. */
function usageError(message: string): never {
  console.error(`carrier-mock: ${message.replace(/\. To specify a positional argument.*$/s, '')}\n\n${usage}`);
  process.exit(2);
}

/** The `carrier-mock` command. */
export async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string', default: '4010' },
        host: { type: 'string', default: '127.0.0.1' },
        dynamic: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        sandbox: { type: 'boolean', default: false },
        'describe-violations': { type: 'boolean', default: false },
        pin: { type: 'string' },
        'max-pin-attempts': { type: 'string' },
        'token-ttl': { type: 'string' },
        'api-key': { type: 'string', multiple: true },
        store: { type: 'string' },
        'store-prefix': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    usageError(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  }

  const sandboxFlags = ['pin', 'max-pin-attempts', 'token-ttl', 'api-key', 'store', 'store-prefix'] as const;
  const misplaced = sandboxFlags.filter((flag) => values[flag] !== undefined && !values.sandbox);
  if (misplaced.length > 0) {
    usageError(`--${misplaced[0]} needs --sandbox`);
  }
  if (values['store-prefix'] !== undefined && values.store === undefined) {
    usageError('--store-prefix needs --store');
  }
  if (values.store !== undefined && !/^rediss?:\/\/[^/]/.test(values.store)) {
    usageError(`--store must be a redis:// URL such as redis://127.0.0.1:6379/0, got "${values.store}"`);
  }
  const integer = (flag: 'max-pin-attempts' | 'token-ttl'): number | undefined => {
    const text = values[flag];
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) {
      usageError(`--${flag} must be a positive integer, got "${text}"`);
    }
    return value;
  };
  const store = values.store === undefined ? undefined : { url: values.store, prefix: values['store-prefix'] };
  const sandbox = values.sandbox ? { pin: values.pin, maxPinAttempts: integer('max-pin-attempts'), tokenTtlSeconds: integer('token-ttl'), apiKeys: values['api-key'], store } : undefined;

  // Handlers first: a signal that arrives while the servers start still stops them cleanly.
  let mock: RunningMock | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    stopping = true;
    console.error(`carrier-mock: ${signal}, stopping`);
    (mock?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  try {
    mock = await startMock({ apis: positionals, port, host: values.host, dynamic: values.dynamic, logLevel: values.verbose ? 'info' : 'silent', sandbox, describeViolations: values['describe-violations'] });
    if (stopping) return void (await mock.close());
    for (const [api, url] of Object.entries(mock.urls)) console.log(`${api} ${url}`);
  } catch (error) {
    if (error instanceof MockStartError && error.exitCode === 2) usageError(error.message);
    console.error(`carrier-mock: ${(error as Error).message}`);
    process.exit(error instanceof MockStartError ? error.exitCode : 1);
  }
}
