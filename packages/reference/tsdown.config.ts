import { packageBuild } from '@carrier-api/package-build';

// shims: import.meta.url in the CommonJS build, where referenceDir is computed from it.
export default packageBuild(['src/index.ts', 'src/cli.ts'], { shims: true });
