import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One fenced TypeScript block of a README. */
export interface Example {
  /** The README, relative to the repository root. */
  file: string;
  /** The line of the opening fence (1-based). */
  line: number;
  code: string;
}

/** Where the examples are compiled from: this package, whose dependencies are the published packages. */
const toolDir = resolve(import.meta.dirname, '..');
export const repoRoot = resolve(toolDir, '../..');

/**
 * The ```ts / ```typescript blocks of a Markdown text, with the line each starts at.
 * @param markdown - The README's text.
 * @param file - Its path, kept on each example for messages.
 */
export function extractExamples(markdown: string, file: string): Example[] {
  const examples: Example[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript|mts|cts)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence); i++) body.push(lines[i]!);
    examples.push({ file, line: start + 1, code: body.join('\n') });
  }
  return examples;
}

/** README.md and packages/<name>/README.md, relative to the repository root, sorted. */
export function readmeFiles(root = repoRoot): string[] {
  const packages = ts.sys.getDirectories(join(root, 'packages')).sort();
  return ['README.md', ...packages.map((name) => `packages/${name}/README.md`)].filter((file) => ts.sys.fileExists(join(root, file)));
}

/** Every example of every README. */
export function collectExamples(root = repoRoot): Example[] {
  return readmeFiles(root).flatMap((file) => extractExamples(readFileSync(join(root, file), 'utf8'), file));
}

/** A problem of one example, at its README line. */
export interface ExampleProblem {
  example: Example;
  /** `README.md:34:7 TS2304 Cannot find name 'x'.` */
  message: string;
}

/**
 * Type-checks the examples as modules of a strict ESM consumer project (Node types, no DOM lib)
 * importing the built packages: one program for all, each example its own module, so that a
 * name declared in one is not seen by another.
 * @returns The problems, each located at its README line; empty when all compile.
 */
export function checkExamples(examples: Example[]): ExampleProblem[] {
  const virtual = new Map<string, Example>();
  examples.forEach((example, index) => {
    const slug = example.file.replace(/[^A-Za-z0-9]+/g, '-');
    virtual.set(join(toolDir, '.examples', `${slug}-${example.line}-${index}.mts`), example);
  });
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
  };
  const host = ts.createCompilerHost(options);
  // Every example is a module (top-level await allowed), even one without import or export.
  const source = (example: Example) => `${example.code}\nexport {};\n`;
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => (virtual.has(name) ? source(virtual.get(name)!) : readFile.call(host, name));
  host.getSourceFile = (name, language, onError, create) => {
    const example = virtual.get(name);
    return example ? ts.createSourceFile(name, source(example), language, true) : getSourceFile.call(host, name, language, onError, create);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const example = diagnostic.file ? virtual.get(diagnostic.file.fileName) : undefined;
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!example || diagnostic.start === undefined) {
      return { example: example ?? examples[0]!, message: `${diagnostic.file ? relative(repoRoot, diagnostic.file.fileName) : ''} TS${diagnostic.code} ${text}` };
    }
    const { line, character } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
    return { example, message: `${example.file}:${example.line + 1 + line}:${character + 1} TS${diagnostic.code} ${text}` };
  });
}
