// @ts-check
// Plain JavaScript: tsdown loads each package's tsdown.config.ts with a bundler that leaves
// node_modules (this package among them) to Node 20, which cannot import TypeScript.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'tsdown';

/** @typedef {import('tsdown').UserConfig} UserConfig */

/**
 * Every published package builds the same way: ESM (`.js`) and CommonJS (`.cjs`), each with its
 * bundled declarations (`.d.ts`, `.d.cts`), for Node 20.
 *
 * Declarations are isolated declarations (emitted by oxc): each file's `.d.ts` is read off its own
 * type annotations, with no TypeScript program. That keeps fifty APIs' builds affordable: a light
 * client's build takes about 0.5 s where tsup's program-based `dts` took 2.2 s (`pnpm bench:scale`).
 * An exported declaration whose type is left to inference fails the build with TypeScript's own
 * TS90xx message, naming the file and line.
 *
 * @param {string[]} [entry] - Entry modules, relative to the package (default `src/index.ts`).
 * @param {UserConfig} [overrides] - tsdown options of one package (e.g. `shims` for `import.meta.url` in CJS).
 * @returns {UserConfig}
 */
export function packageBuild(entry = ['src/index.ts'], overrides = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    platform: 'node',
    target: 'node20',
    // `.js` for ESM (the packages are "type": "module") and `.cjs`, as every package.json's exports say.
    fixedExtension: false,
    dts: { oxc: true },
    clean: true,
    hooks: { 'build:done': putJsdocOnOwnLines },
    ...overrides,
  });
}

/**
 * rolldown-plugin-dts 0.23 (the last release for Node 20) prints a one-line JSDoc block after the
 * previous member, on its line (`a: string; /** b's doc *\/`: sxzz/rolldown-plugin-dts#182, fixed
 * in releases that need Node 22). TypeScript reads a comment that follows code on its line as a
 * trailing comment, so editors lost the documentation of the next member: 74 of the 111 documented
 * schema properties of the Centili payments client. Each declaration file written is rewritten
 * with every JSDoc block on its own line, once the build is done: the `.d.cts` files come from a
 * build of their own that runs no plugin of ours.
 *
 * @param {{ chunks: { type: string; fileName: string; outDir: string }[] }} context - tsdown's `build:done` context.
 */
function putJsdocOnOwnLines({ chunks }) {
  for (const chunk of chunks) {
    if (chunk.type !== 'chunk' || !/\.d\.c?ts$/.test(chunk.fileName)) continue;
    const file = join(chunk.outDir, chunk.fileName);
    const text = readFileSync(file, 'utf8');
    const fixed = jsdocOnOwnLine(text);
    if (fixed !== text) writeFileSync(file, fixed);
  }
}

/**
 * Moves every JSDoc block (`/** ... *\/`) that follows code on its line to a line of its own, and
 * the code that follows it on its closing line to the next line, both at the indentation of the
 * line it was on, with the file's own line ending. Strings, template literals (their `${...}`
 * included) and other comments are copied as they are.
 *
 * @param {string} code - A declaration file's text.
 * @returns {string} The same declarations, every JSDoc block on its own line.
 */
export function jsdocOnOwnLine(code) {
  const eol = code.includes('\r\n') ? '\r\n' : '\n';
  let out = '';
  let index = 0;
  const currentLine = () => out.slice(out.lastIndexOf('\n') + 1);
  while (index < code.length) {
    const end = endOfToken(code, index);
    if (code.startsWith('/**', index) && !code.startsWith('/**/', index)) {
      const indent = /^[ \t]*/.exec(currentLine())?.[0] ?? '';
      if (currentLine().trim() !== '') out = `${out.trimEnd()}${eol}${indent}`;
      out += code.slice(index, end);
      index = end;
      // Code right after the block, on its line: the member it documents starts a line of its own.
      const spaces = /^[ \t]*/.exec(code.slice(index))?.[0] ?? '';
      const next = code[index + spaces.length];
      if (next !== undefined && next !== '\n' && next !== '\r') {
        out += `${eol}${indent}`;
        index += spaces.length;
      }
      continue;
    }
    out += code.slice(index, end);
    index = end;
  }
  return out;
}

/**
 * The end (exclusive) of the token of a declaration file that starts at `start`, as far as
 * comments are concerned: a string or template literal, a comment, or one character.
 *
 * @param {string} code
 * @param {number} start
 * @returns {number}
 */
function endOfToken(code, start) {
  const char = code[start];
  if (char === '"' || char === "'" || char === '`') return endOfLiteral(code, start);
  if (code.startsWith('//', start)) {
    const lineEnd = code.indexOf('\n', start);
    return lineEnd < 0 ? code.length : lineEnd;
  }
  if (code.startsWith('/*', start)) {
    const close = code.indexOf('*/', start + 2);
    return close < 0 ? code.length : close + 2;
  }
  return start + 1;
}

/**
 * The end (exclusive) of the string or template literal that starts at `start`; a template's
 * `${...}` is code, which may hold strings, templates and braces of its own.
 *
 * @param {string} code
 * @param {number} start
 * @returns {number}
 */
function endOfLiteral(code, start) {
  const quote = code[start];
  let at = start + 1;
  while (at < code.length) {
    if (code[at] === '\\') at += 2;
    else if (code[at] === quote) return at + 1;
    else if (quote === '`' && code.startsWith('${', at)) at = endOfSubstitution(code, at + 2);
    else at += 1;
  }
  return code.length;
}

/**
 * The end (exclusive, after its closing brace) of a template's substitution whose code starts at `start`.
 *
 * @param {string} code
 * @param {number} start
 * @returns {number}
 */
function endOfSubstitution(code, start) {
  let depth = 0;
  let at = start;
  while (at < code.length) {
    const char = code[at];
    if (char === '}' && depth === 0) return at + 1;
    if (char === '{') depth += 1;
    else if (char === '}') depth -= 1;
    at = char === '{' || char === '}' ? at + 1 : endOfToken(code, at);
  }
  return code.length;
}
