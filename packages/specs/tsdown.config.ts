import { packageBuild } from '@carrier-api/package-build';

// shims: import.meta.url in the CJS build, to find bundled/.
export default packageBuild(['src/index.ts'], { shims: true });
