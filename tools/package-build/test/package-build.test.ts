import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { jsdocOnOwnLine } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const tsdownBin = join(here, '..', 'node_modules', '.bin', 'tsdown');

/** The JSDoc blocks of a declaration file that TypeScript attaches to no declaration (lost to editors). */
function unattachedJsdoc(text: string): string[] {
  const file = ts.createSourceFile('index.d.ts', text, ts.ScriptTarget.Latest, true);
  const attached = new Set<number>();
  const literals: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    for (const doc of ts.getJSDocCommentsAndTags(node)) attached.add(doc.pos);
    if (ts.isStringLiteral(node) || ts.isTemplateLiteralTypeNode(node) || ts.isNoSubstitutionTemplateLiteral(node)) literals.push([node.getStart(file), node.end]);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const inLiteral = (at: number) => literals.some(([start, end]) => at > start && at < end);
  return [...text.matchAll(/\/\*\*(?!\/)[\s\S]*?\*\//g)].filter((match) => !attached.has(match.index) && !inLiteral(match.index)).map((match) => match[0]);
}

describe('jsdocOnOwnLine', () => {
  // [what rolldown-plugin-dts printed, what the declaration file must say]
  const rows: [string, string, string][] = [
    ['a block after a member', '  a: string; /** b doc */\n  b: string;\n', '  a: string;\n  /** b doc */\n  b: string;\n'],
    ['a block before its member on one line', '{\n  /** a doc */a: string;\n}\n', '{\n  /** a doc */\n  a: string;\n}\n'],
    ['both at once', '  /** a */a?: string; /** b */\n  b?: string;\n', '  /** a */\n  a?: string;\n  /** b */\n  b?: string;\n'],
    ['after a closing brace', '  }; /** next */\n  Next: {\n', '  };\n  /** next */\n  Next: {\n'],
    ['a block on its own line stays', '  /**\n   * doc\n   */\n  a: string;\n', '  /**\n   * doc\n   */\n  a: string;\n'],
    ['a plain block comment stays', '  a: string; /* note */ b: string;\n', '  a: string; /* note */ b: string;\n'],
    ['comment marks in a string stay', '  a: "x; /** y */ z"; b: \'/**\';\n', '  a: "x; /** y */ z"; b: \'/**\';\n'],
    ['comment marks in a template literal stay', '  a: `/** ${string} */`;\n', '  a: `/** ${string} */`;\n'],
    ['a line comment with comment marks stays', '  a: string; // see /** here */\n', '  a: string; // see /** here */\n'],
    ['an escaped quote does not end the string', '  a: "it\\" /** x */"; /** b */\n  b: 1;\n', '  a: "it\\" /** x */";\n  /** b */\n  b: 1;\n'],
    ['an empty block /**/ stays', '  a: string; /**/ b: string;\n', '  a: string; /**/ b: string;\n'],
    ['a backtick inside a template\'s ${} does not end it', "  a: `x${'`'}`; /** b */ b: '/** y */';\n", "  a: `x${'`'}`;\n  /** b */\n  b: '/** y */';\n"],
    ['a template nested in a template\'s ${}', '  a: `${`/** n */`}`; /** b */\n  b: 1;\n', '  a: `${`/** n */`}`;\n  /** b */\n  b: 1;\n'],
    ['braces and strings inside ${} stay code', '  a: `${{ k: "}" }["k"]} /** t */`; /** b */\n  b: 1;\n', '  a: `${{ k: "}" }["k"]} /** t */`;\n  /** b */\n  b: 1;\n'],
    ['CRLF files keep CRLF', '  a: string; /** b */\r\n  b: string;\r\n', '  a: string;\r\n  /** b */\r\n  b: string;\r\n'],
  ];
  it.each(rows)('%s', (_name, printed, expected) => {
    expect(jsdocOnOwnLine(printed)).toBe(expected);
    expect(jsdocOnOwnLine(expected)).toBe(expected);
  });
});

describe('packageBuild', () => {
  const work = mkdtempSync(join(tmpdir(), 'carrier-package-build-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('builds ESM and CJS with declarations in which every JSDoc block documents its declaration', () => {
    cpSync(join(here, 'fixture'), work, { recursive: true });
    writeFileSync(join(work, 'tsdown.config.ts'), `import { packageBuild } from ${JSON.stringify(join(here, '..', 'src', 'index.js'))};\nexport default packageBuild();\n`);
    execFileSync(tsdownBin, [], { cwd: work, stdio: 'pipe' });
    for (const declarations of ['index.d.ts', 'index.d.cts']) {
      const text = readFileSync(join(work, 'dist', declarations), 'utf8');
      expect(text).toContain('@description The merchant\'s reference of this transaction.');
      expect(unattachedJsdoc(text)).toEqual([]);
    }
    expect(readFileSync(join(work, 'dist', 'index.js'), 'utf8')).toMatch(/export \{ answer \}/);
    expect(readFileSync(join(work, 'dist', 'index.cjs'), 'utf8')).toMatch(/exports\.answer = answer/);
  });
});
