import { packageBuild } from '../../tsup.config.base.ts';

// shims: import.meta.url in the CJS build, to find bundled/.
export default packageBuild(['src/index.ts'], { shims: true });
