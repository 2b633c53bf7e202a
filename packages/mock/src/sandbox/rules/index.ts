import type { ApiBehaviour } from '../types.js';
import { centiliDataGifting } from './centili-data-gifting.js';
import { centiliPackages } from './centili-packages.js';
import { centiliPayments } from './centili-payments.js';
import { centiliServices } from './centili-services.js';
import { mtnNgDataGifting } from './mtn-ng-data-gifting.js';

/**
 * Each API's behaviour, in one module per API beside this index; the vendor sentence each rule
 * implements is its operation's `x-behaviour` in the API's spec. Only the APIs whose vendor documents describe behaviour are here: the APIs themselves
 * are found in @carrier-api/specs, and an API without an entry (a new one from `pnpm new-api`) is
 * served all the same, by Prism from its spec's examples (see behaviourOf).
 */
const behaviours: Record<string, ApiBehaviour> = {
  'centili-payments': centiliPayments,
  'centili-data-gifting': centiliDataGifting,
  'centili-services': centiliServices,
  'centili-packages': centiliPackages,
  'mtn-ng-data-gifting': mtnNgDataGifting,
};

/** The behaviour of an API; an API of your own (`specs` option) has none: Prism answers it. */
export function behaviourOf(api: string): ApiBehaviour {
  return behaviours[api] ?? { rules: {} };
}

export { behaviours };
