import { packageBuild } from '@carrier-api/package-build';

export default packageBuild();
