import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** Minified and gzipped size of a browser bundle of `source` (an ES module importing packages). */
export async function bundleSize(source: string): Promise<{ minified: number; gzip: number }> {
  const result = await build({
    stdin: { contents: source, resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.byteLength, gzip: gzipSync(code).byteLength };
}
