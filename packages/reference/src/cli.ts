import { parseArgs } from 'node:util';
import { serveReference } from './index.js';

const usage = `usage: carrier-reference [--port 4009] [--host 127.0.0.1]

Serves the offline API reference and prints "reference <url>". Stops on SIGINT or SIGTERM.`;

/** The `carrier-reference` command: bad usage is one line, the usage and exit code 2. */
export async function main(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { port: { type: 'string', default: '4009' }, host: { type: 'string', default: '127.0.0.1' }, help: { type: 'boolean' } } }));
  } catch (error) {
    console.error(`carrier-reference: ${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}\n\n${usage}`);
    return void (process.exitCode = 2);
  }
  if (values.help) return void console.log(usage);
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port!) || port > 65535) {
    console.error(`carrier-reference: --port must be an integer from 0 to 65535, got "${values.port}"\n\n${usage}`);
    return void (process.exitCode = 2);
  }
  try {
    const reference = await serveReference({ port, host: values.host! });
    console.log(`reference ${reference.url}`);
    const stop = () => void reference.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    console.error(`carrier-reference: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
