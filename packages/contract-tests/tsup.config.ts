import { packageBuild } from '../../tsup.config.base.ts';

export default packageBuild(['src/index.ts', 'src/cli.ts'], { dts: { entry: 'src/index.ts' }, shims: true });
