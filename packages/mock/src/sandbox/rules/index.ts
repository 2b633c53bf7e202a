import type { ApiBehaviour } from '../types.js';
import { centiliPayments } from './centili-payments.js';
import { createTokenRule } from './centili-token.js';

/** Each API's behaviour, in one module per API beside this index. */
const behaviours: Record<string, ApiBehaviour> = {
  'centili-payments': centiliPayments,
  'centili-data-gifting': { source: '000_f24b1f0bbda67353.txt', rules: { createToken: createTokenRule } },
  'centili-services': { source: '002_14d2d480bd26aad5.txt', rules: { createToken: createTokenRule } },
  'centili-packages': { source: '004_b9cfb229140afeac.txt', rules: { createToken: createTokenRule } },
  'mtn-ng-data-gifting': { source: '003_39b7a1bc5f8274b0.txt', rules: {} },
};

/** The behaviour of an API; an API of your own (`specs` option) has none: Prism answers it. */
export function behaviourOf(api: string): ApiBehaviour {
  return behaviours[api] ?? { source: 'none', rules: {} };
}

export { behaviours };
