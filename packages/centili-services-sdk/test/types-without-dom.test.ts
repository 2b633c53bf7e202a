import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// A Node project without the DOM lib, skipLibCheck off, importing the built declarations.
const dist = resolve(import.meta.dirname, '../dist');
const cases = [
  { build: 'ESM', file: 'consumer.mts', from: join(dist, 'index.js') },
  { build: 'CJS', file: 'consumer.cts', from: join(dist, 'index.cjs') },
];

describe('the SDK .d.ts (and the runtime ones they import) compile without the DOM lib', () => {
  it.each(cases)('$build', ({ file, from }) => {
    const dir = mkdtempSync(join(tmpdir(), 'sdk-nodom-'));
    try {
      writeFileSync(join(dir, file), `import * as sdk from ${JSON.stringify(from)};\nexport const used = sdk;\n`);
      const program = ts.createProgram([join(dir, file)], {
        lib: ['lib.es2022.d.ts'],
        types: ['node'],
        typeRoots: [resolve(import.meta.dirname, '../../../node_modules/@types')],
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        skipLibCheck: false,
        noEmit: true,
      });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
