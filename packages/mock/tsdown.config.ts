import { packageBuild } from '@carrier-api/package-build';

export default packageBuild(['src/index.ts', 'src/cli.ts', 'src/msw.ts'], {
  deps: {
    // The engine's model builder (http-spec, @stoplight/json and /types) is bundled in, with
    // jsonc-parser's ESM build: required from CommonJS, jsonc-parser resolves to its UMD build,
    // whose inner `require('./impl/format')` no browser bundler (esbuild, Vite) can follow, and a
    // CommonJS require of an external becomes `node:module`'s createRequire. The MSW handlers run
    // in browsers, so their code must reach neither.
    alwaysBundle: [/^@stoplight\/(http-spec|json|types)(\/|$)/, /^jsonc-parser(\/|$)/],
  },
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
});
