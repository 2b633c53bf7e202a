import { isDeepStrictEqual } from 'node:util';
import { deref, listOperations, pointerOf, resolvePointer, type OpenApiDocument } from '@carrier-api/spec-kit';
import type { ChangeLevel, SpecChange } from './changes.ts';

/**
 * A change of how requests authenticate, on the wire: a security scheme of
 * `components/securitySchemes` added, removed, renamed or changed, or the security requirements of
 * an operation (its own `security`, or the document's it inherits) changed.
 */
export interface SecurityChange extends SpecChange {
  /**
   * Where in the bundle: `#/components/securitySchemes/<name>[/<field>...]` for a scheme;
   * for a requirement, the operation's `security` when either side declares one (that is what
   * was edited), else the document's `#/security` it inherits on both sides.
   */
  pointer: string;
  /** The value at the pointer before the change (an operation's: the requirements in force); absent when added. */
  before?: unknown;
  /** The value after it; absent when removed. */
  after?: unknown;
}

/** One alternative of a `security` list: scheme name → scopes, every scheme needed (AND). */
type Requirement = Record<string, string[]>;
type Scheme = Record<string, unknown> & { type?: string; flows?: Record<string, unknown>; in?: string; name?: string };
type Document = OpenApiDocument & { security?: Requirement[] };

/** The security rules of oasdiff (v1.36, `oasdiff checks changelog`): the ones this module locates and corrects. */
const oasdiffSecurity = /^api-(global-)?security-/;

/** A security change of oasdiff or ours (see README, "Security"). */
export const isSecurityChange = (change: SpecChange): change is SecurityChange => 'pointer' in change && (oasdiffSecurity.test(change.rule) || change.rule.startsWith('security-'));

/**
 * An alternative as oasdiff writes it (`SecurityAlternative.String()`): the schemes sorted,
 * joined by ` AND `, each with its scopes sorted (`c: [read, write]`); `{}` for none. The same
 * text lets its changes be matched with ours.
 */
export function requirementText(requirement: Requirement): string {
  const names = Object.keys(requirement).sort();
  if (names.length === 0) return '{}';
  return names.map((name) => (requirement[name]!.length === 0 ? name : `${name}: [${[...requirement[name]!].sort().join(', ')}]`)).join(' AND ');
}

/** The scheme names of an alternative, as oasdiff matches alternatives (scopes aside). */
const namesOf = (requirement: Requirement) => Object.keys(requirement).sort().join(' AND ');

/**
 * A request that satisfied `old` satisfies `now` too: `now` asks for no scheme and no scope
 * that `old` did not (its credentials carry everything `now` needs).
 */
const satisfies = (old: Requirement, now: Requirement) => Object.entries(now).every(([name, scopes]) => name in old && scopes.every((scope) => old[name]!.includes(scope)));

/** Some alternative of `after` accepts every request that satisfied `old`. */
const stillAccepted = (old: Requirement, after: Requirement[]) => after.some((now) => satisfies(old, now));

/** The scheme definitions of a bundle, each followed through a local `$ref`. */
function schemesOf(document: Document): Map<string, Scheme> {
  const schemes = (document.components?.securitySchemes ?? {}) as Record<string, unknown>;
  return new Map(Object.entries(schemes).map(([name, scheme]) => [name, deref<Scheme>(document, scheme as Scheme)]));
}

/** A definition without what is no wire matter (its `description`, `x-` extensions), to tell a renamed scheme by. */
function definitionOf(scheme: Scheme): unknown {
  if (Array.isArray(scheme)) return scheme.map((item) => definitionOf(item as Scheme));
  if (scheme === null || typeof scheme !== 'object') return scheme;
  return Object.fromEntries(Object.entries(scheme).filter(([key]) => key !== 'description' && !key.startsWith('x-')).map(([key, value]) => [key, definitionOf(value as Scheme)]));
}

/**
 * Schemes renamed: a base name gone and a head name new whose definitions are the same (the one
 * match): base name → head name. A scheme's name is not on the wire; its requirements follow it.
 */
function renamedSchemes(before: Map<string, Scheme>, after: Map<string, Scheme>): Map<string, string> {
  const renamed = new Map<string, string>();
  const added = [...after.keys()].filter((name) => !before.has(name));
  for (const name of [...before.keys()].filter((candidate) => !after.has(candidate))) {
    const matches = added.filter((candidate) => !renamed.has(candidate) && isDeepStrictEqual(definitionOf(before.get(name)!), definitionOf(after.get(candidate)!)));
    if (matches.length === 1) renamed.set(name, matches[0]!);
  }
  return renamed;
}

/** An operation's requirements in force on one side, and where they are declared. */
interface InForce {
  requirements: Requirement[];
  /** The operation declares its own `security`. */
  own: boolean;
}

/** `METHOD /path` → the requirements in force (the operation's own `security`, else the document's, else none). */
function requirementsOf(document: Document): Map<string, InForce> {
  return new Map(
    listOperations(document).map((operation) => [
      `${operation.method.toUpperCase()} ${operation.path}`,
      { requirements: operation.security as Requirement[], own: operation.operation.security !== undefined },
    ]),
  );
}

/** The first backquoted texts of an oasdiff message, in order: its arguments (scheme, flow, scope, requirement). */
const quoted = (text: string) => [...text.matchAll(/`([^`]*)`/g)].map((match) => match[1]!);

/** The field of a scheme each oasdiff component rule is about, after `#/components/securitySchemes/<name>`. */
function componentField(rule: string, args: string[]): string[] | undefined {
  const flow = args[1] ?? '';
  const fields: Record<string, string[]> = {
    'api-security-component-added': [],
    'api-security-component-removed': [],
    'api-security-component-type-changed': ['type'],
    'api-security-component-api-key-in-changed': ['in'],
    'api-security-component-api-key-name-changed': ['name'],
    'api-security-component-http-scheme-changed': ['scheme'],
    'api-security-component-bearer-format-changed': ['bearerFormat'],
    'api-security-component-openid-connect-url-changed': ['openIdConnectUrl'],
    'api-security-component-oauth-token-url-changed': ['flows', flow, 'tokenUrl'],
    'api-security-component-oauth-refresh-url-changed': ['flows', flow, 'refreshUrl'],
    'api-security-component-oauth-url-changed': ['flows', flow, 'authorizationUrl'],
    'api-security-component-oauth-scope-added': ['flows', flow, 'scopes', args[2] ?? ''],
    'api-security-component-oauth-scope-removed': ['flows', flow, 'scopes', args[2] ?? ''],
    'api-security-component-oauth-scope-changed': ['flows', flow, 'scopes', args[2] ?? ''],
  };
  return fields[rule];
}

/** The value at `field` of a scheme, undefined when it has none. */
function fieldOf(scheme: Scheme | undefined, field: string[]): unknown {
  if (!scheme) return undefined;
  if (field.length === 0) return scheme;
  try {
    return resolvePointer(scheme as unknown as OpenApiDocument, pointerOf(...field));
  } catch {
    return undefined;
  }
}

/** `change` at `pointer`, with the values there (an absent one left out). */
const withValues = (change: SpecChange, pointer: string, before: unknown, after: unknown): SecurityChange => ({
  ...change,
  pointer,
  ...(before !== undefined ? { before } : {}),
  ...(after !== undefined ? { after } : {}),
});

/**
 * The security changes between two bundles of one API: oasdiff's security checks where they are
 * right, each located (`pointer`, `before`, `after`); corrected where they are not; and what
 * they miss. oasdiff (v1.36) compares each operation's requirements in force (inherited ones
 * included), and its levels stand, except:
 * - a combined requirement that gains a scheme (`{a}` → `{a, b}`) is reported by oasdiff as `a`
 *   removed and `a AND b` added: one `security-requirement-member-added` (breaking) instead;
 * - one that loses a scheme (`{a, b}` → `{a}`), which oasdiff calls breaking (`a AND b`
 *   removed): one `security-requirement-member-removed`, safe, since the credentials of the old
 *   requirement satisfy the new one;
 * - an alternative removed whose requests another alternative still accepts (`[{a}, {a, b}]` →
 *   `[{a}]`) is safe, not breaking;
 * - a scheme renamed (the same definition under a new name: nothing changes on the wire) is
 *   one `security-component-renamed` (warning: the bundle's and generated code's names change),
 *   not a scheme removed and added and each requirement removed and added;
 * - an apiKey's `name` "changed" with its `in` (oasdiff compares header names in lower case,
 *   others as written): dropped when the names are the same apart from case;
 * - oauth2 flows added or removed, which oasdiff does not compare: `security-component-oauth-flow-added`
 *   (safe: a new way to get a token) and `-removed` (breaking: clients using it get no token).
 *
 * @param changes - oasdiff's changelog of the two documents (its other changes pass through unchanged).
 * @param base - The bundle before (normalised, as oasdiff compared it).
 * @param revision - The bundle after.
 * @returns The changes, the security ones as {@link SecurityChange}s.
 * @throws {Error} a local `$ref` that points nowhere (a bundle is self-contained).
 */
export function securityChanges(changes: SpecChange[], base: OpenApiDocument, revision: OpenApiDocument): SpecChange[] {
  const [before, after] = [base as Document, revision as Document];
  const [schemesBefore, schemesAfter] = [schemesOf(before), schemesOf(after)];
  const renamed = renamedSchemes(schemesBefore, schemesAfter);
  const renamedTo = new Set(renamed.values());
  const [inForceBefore, inForceAfter] = [requirementsOf(before), requirementsOf(after)];
  // A base requirement under the head's scheme names.
  const rename = (requirement: Requirement): Requirement => Object.fromEntries(Object.entries(requirement).map(([name, scopes]) => [renamed.get(name) ?? name, scopes]));

  // oasdiff's changes that ours replace, and those whose level is corrected.
  const replaced = new Set<SpecChange>();
  const corrected = new Map<SpecChange, SpecChange>();
  const ours: SecurityChange[] = [];
  for (const operation of new Set(changes.filter((change) => oasdiffSecurity.test(change.rule) && change.operation).map((change) => change.operation!))) {
    const [old, now] = [inForceBefore.get(operation), inForceAfter.get(operation)];
    if (!old || !now) continue;
    const reported = changes.filter((change) => change.operation === operation);
    const find = (rule: string, requirement: Requirement) => reported.find((change) => change.rule === rule && !replaced.has(change) && quoted(change.text)[0] === requirementText(requirement));
    const oldNames = new Set(old.requirements.map((requirement) => namesOf(rename(requirement))));
    const added = now.requirements.filter((requirement) => !oldNames.has(namesOf(requirement)));
    for (const requirement of old.requirements.map((original) => ({ original, renamed: rename(original) }))) {
      const removal = find('api-security-removed', requirement.original);
      if (!removal) continue;
      // Only its schemes' names changed: the request carries what it did.
      const same = now.requirements.find((candidate) => requirementText(candidate) === requirementText(requirement.renamed));
      if (same) {
        replaced.add(removal);
        const addition = find('api-security-added', same);
        if (addition) replaced.add(addition);
        continue;
      }
      const accepted = stillAccepted(requirement.renamed, now.requirements);
      const names = Object.keys(requirement.renamed);
      // The same alternative with schemes added to or taken from it.
      const partner =
        added.find((candidate) => names.every((name) => name in candidate)) ??
        added.find((candidate) => Object.keys(candidate).length > 0 && Object.keys(candidate).every((name) => names.includes(name)));
      const addition = partner ? find('api-security-added', partner) : undefined;
      if (partner && addition) {
        replaced.add(removal);
        replaced.add(addition);
        added.splice(added.indexOf(partner), 1);
        const gained = Object.keys(partner).filter((name) => !names.includes(name));
        const lost = names.filter((name) => !(name in partner));
        const list = (schemes: string[]) => schemes.map((name) => `\`${name}\``).join(', ');
        const [was, is] = [requirementText(requirement.original), requirementText(partner)];
        ours.push({
          ...(gained.length > 0
            ? {
                rule: 'security-requirement-member-added',
                text: `the combined security requirement \`${was}\` now also needs ${list(gained)} (\`${is}\`)${accepted ? '; another alternative still accepts its requests' : ': requests that carry only what it asked for are refused'}`,
              }
            : {
                rule: 'security-requirement-member-removed',
                text: `the combined security requirement \`${was}\` no longer needs ${list(lost)} (now \`${is}\`)${accepted ? ': requests that carry what it asked for are still accepted' : ', but asks for scopes it did not: requests that carried it may be refused'}`,
              }),
          level: accepted ? 'safe' : 'breaking',
          operation,
          ...(removal.operationId ? { operationId: removal.operationId } : {}),
          ...located(operation, old, now),
        });
        continue;
      }
      if (accepted && removal.level === 'breaking') {
        const by = now.requirements.find((candidate) => satisfies(requirement.renamed, candidate))!;
        corrected.set(removal, { ...removal, level: 'safe', text: `${removal.text}: requests that satisfied it still satisfy \`${requirementText(by)}\`` });
      }
    }
  }

  const result: SpecChange[] = [];
  for (const change of changes) {
    if (replaced.has(change)) continue;
    const current = corrected.get(change) ?? change;
    if (!oasdiffSecurity.test(change.rule)) {
      result.push(change);
    } else if (change.operation) {
      result.push({ ...current, ...located(change.operation, inForceBefore.get(change.operation), inForceAfter.get(change.operation)) });
    } else if (change.rule.startsWith('api-global-security-')) {
      // Reported by oasdiff only when no operation inherits the document's list.
      result.push(withValues(current, '#/security', before.security, after.security));
    } else {
      const args = quoted(change.text);
      const name = args[0] ?? '';
      const field = componentField(change.rule, args);
      if (!field) {
        result.push(change);
        continue;
      }
      // A scheme renamed: reported once, below.
      if ((change.rule === 'api-security-component-removed' && renamed.has(name)) || (change.rule === 'api-security-component-added' && renamedTo.has(name))) continue;
      const [old, now] = [fieldOf(schemesBefore.get(name), field), fieldOf(schemesAfter.get(name), field)];
      // oasdiff lower-cases a header's name only: moved from a header to the query or a cookie,
      // `x-key` "became" `X-Key`. The `in` change is the one that matters.
      if (change.rule === 'api-security-component-api-key-name-changed' && typeof old === 'string' && typeof now === 'string' && old.toLowerCase() === now.toLowerCase()) continue;
      result.push(withValues(current, pointerOf('components', 'securitySchemes', name, ...field), old, now));
    }
  }
  return [...result, ...ours, ...renames(renamed), ...flowChanges(schemesBefore, schemesAfter, renamed)];
}

/**
 * Where an operation's requirements are, and what they were and are: its own `security` when
 * either side declares one (that is what was edited), else the document's it inherits.
 */
function located(operation: string, old: InForce | undefined, now: InForce | undefined): Pick<SecurityChange, 'pointer' | 'before' | 'after'> {
  const space = operation.indexOf(' ');
  const pointer = old?.own || now?.own ? pointerOf('paths', operation.slice(space + 1), operation.slice(0, space).toLowerCase(), 'security') : '#/security';
  return { pointer, ...(old ? { before: old.requirements } : {}), ...(now ? { after: now.requirements } : {}) };
}

/** A scheme renamed: the same credentials under another name (see {@link securityChanges}). */
function renames(renamed: Map<string, string>): SecurityChange[] {
  return [...renamed].map(([from, to]) => ({
    rule: 'security-component-renamed',
    level: 'warning',
    text: `the component security scheme \`${from}\` was renamed to \`${to}\` (the same definition): requests carry the same credentials, but its name in the bundle, and in code generated from it, changed`,
    pointer: pointerOf('components', 'securitySchemes', to),
    before: from,
    after: to,
  }));
}

/** oauth2 flows added to or removed from a scheme: oasdiff compares their URLs and scopes, not which flows there are. */
function flowChanges(before: Map<string, Scheme>, after: Map<string, Scheme>, renamed: Map<string, string>): SecurityChange[] {
  const changes: SecurityChange[] = [];
  for (const [old, scheme] of before) {
    const name = renamed.get(old) ?? old;
    const now = after.get(name);
    if (scheme.type !== 'oauth2' || now?.type !== 'oauth2') continue;
    const [flowsBefore, flowsAfter] = [scheme.flows ?? {}, now.flows ?? {}];
    for (const flow of Object.keys(flowsBefore).filter((candidate) => !(candidate in flowsAfter))) {
      changes.push({
        rule: 'security-component-oauth-flow-removed',
        level: 'breaking',
        text: `the component security scheme \`${name}\` no longer offers the oauth \`${flow}\` flow: clients that get their token with it get none`,
        pointer: pointerOf('components', 'securitySchemes', name, 'flows', flow),
        before: flowsBefore[flow],
      });
    }
    for (const flow of Object.keys(flowsAfter).filter((candidate) => !(candidate in flowsBefore))) {
      changes.push({
        rule: 'security-component-oauth-flow-added',
        level: 'safe',
        text: `the component security scheme \`${name}\` offers the oauth \`${flow}\` flow too`,
        pointer: pointerOf('components', 'securitySchemes', name, 'flows', flow),
        after: flowsAfter[flow],
      });
    }
  }
  return changes;
}
