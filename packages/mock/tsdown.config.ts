import { packageBuild } from '@carrier-api/package-build';

export default packageBuild(['src/index.ts', 'src/cli.ts', 'src/msw.ts']);
