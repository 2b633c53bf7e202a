import { packageBuild } from '../../tsup.config.base.ts';

// shims: import.meta.url in the CommonJS build, where referenceDir is computed from it.
export default packageBuild(['src/index.ts', 'src/cli.ts'], { dts: { entry: 'src/index.ts' }, shims: true });
