import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('the README’s full consumer test is test/consumer-example.test.ts, which runs', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### A full consumer test'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  const test = readFileSync(join(import.meta.dirname, 'consumer-example.test.ts'), 'utf8').split('\n').slice(1).join('\n');
  expect(block).toBe(test.replace("from '../src/index.js'", "from '@carrier-api/mock'"));
});
