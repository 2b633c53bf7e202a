/** How a change affects a team that consumes a client, an SDK or the mock. */
export type ChangeLevel = 'breaking' | 'warning' | 'safe' | 'docs';
export type Bump = 'none' | 'patch' | 'minor' | 'major';

export interface SpecChange {
  /** oasdiff's rule id, or ours (server-*, schema-*, documentation-changed). */
  rule: string;
  level: ChangeLevel;
  text: string;
  operation?: string;
  operationId?: string;
}

const bumpOrder: Bump[] = ['none', 'patch', 'minor', 'major'];
export const maxBump = (...bumps: Bump[]): Bump => bumps.reduce((max, bump) => (bumpOrder.indexOf(bump) > bumpOrder.indexOf(max) ? bump : max), 'none');
export const bumpAtLeast = (given: Bump, needed: Bump) => bumpOrder.indexOf(given) >= bumpOrder.indexOf(needed);

/** Breaking: major; any other change to the contract (additive or a warning): minor; descriptions and examples only: patch. */
export function bumpFor(changes: SpecChange[]): Bump {
  if (changes.length === 0) return 'none';
  if (changes.some((change) => change.level === 'breaking')) return 'major';
  if (changes.some((change) => change.level !== 'docs')) return 'minor';
  return 'patch';
}
