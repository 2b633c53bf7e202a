/** `centili-payments` → `Payments`, `mtn-ng-data-gifting` → `MtnNgDataGifting`: the Centili prefix is implied. */
export function apiTypeName(api: string): string {
  return api
    .replace(/^centili-/, '')
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** The light client's factory of an API: `createPaymentsClient`. */
export const clientFactoryName = (api: string) => `create${apiTypeName(api)}Client`;

/** The SDK's factory of an API: `createPaymentsSdk`. */
export const sdkFactoryName = (api: string) => `create${apiTypeName(api)}Sdk`;
