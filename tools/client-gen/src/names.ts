/** `centili-payments` → `Payments`, `mtn-ng-data-gifting` → `MtnNgDataGifting`: the Centili prefix is implied. */
export function apiTypeName(api: string): string {
  return api
    .replace(/^centili-/, '')
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

export const clientFactoryName = (api: string) => `create${apiTypeName(api)}Client`;
