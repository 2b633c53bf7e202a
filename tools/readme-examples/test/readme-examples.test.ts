import { describe, expect, it } from 'vitest';
import { checkExamples, collectExamples, extractExamples } from '../src/index.ts';

describe('extractExamples', () => {
  const cases = [
    { what: 'a ts block', markdown: 'text\n```ts\nconst a = 1;\n```\n', expected: [{ line: 2, code: 'const a = 1;' }] },
    { what: 'typescript and an indented fence', markdown: '- item\n  ```typescript\n  const b = 2;\n  ```\n', expected: [{ line: 2, code: '  const b = 2;' }] },
    { what: 'no sh or json blocks', markdown: '```sh\nls\n```\n```json\n{}\n```\n', expected: [] },
    { what: 'two blocks', markdown: '```ts\nx\n```\n\n```ts\ny\n```', expected: [{ line: 1, code: 'x' }, { line: 5, code: 'y' }] },
  ];
  it.each(cases)('finds $what', ({ markdown, expected }) => {
    expect(extractExamples(markdown, 'R.md').map(({ line, code }) => ({ line, code }))).toEqual(expected);
  });
});

describe('the checker', () => {
  it('reports a broken example at its README line', () => {
    const problems = checkExamples([{ file: 'X.md', line: 10, code: "import { expectData } from '@carrier-api/runtime';\nconst n: number = 'text';\nexpectData;" }]);
    expect(problems.map((problem) => problem.message)).toEqual([expect.stringMatching(/^X\.md:12:7 TS2322 /)]);
  });
});

// Every TypeScript example of README.md and packages/*/README.md compiles against the built packages.
const examples = collectExamples();
const problems = checkExamples(examples);

describe('README examples', () => {
  it('there are examples to check', () => {
    expect(examples.length).toBeGreaterThan(15);
  });
  it.each(examples.map((example) => ({ ...example, where: `${example.file}:${example.line}` })))('$where compiles', (example) => {
    const own = problems.filter((problem) => problem.example.file === example.file && problem.example.line === example.line);
    expect(own.map((problem) => problem.message)).toEqual([]);
  });
});
