import type { ChangeLevel } from './changes.ts';
import type { Surface, SurfaceEntry } from './surface.ts';

/** A change to the public TypeScript surface of a generated package. */
export interface CodeChange {
  /** `code-declaration-removed`, `code-method-renamed`, `code-member-added`, ... */
  rule: string;
  level: ChangeLevel;
  text: string;
  /** The declaration, method or member (its key in the surface before, else after). */
  symbol: string;
  /** The signature before the change (absent when it was added). */
  before?: string;
  /** The signature after it (absent when it was removed). */
  after?: string;
}

const order: ChangeLevel[] = ['docs', 'safe', 'warning', 'breaking'];
const strongest = (...levels: ChangeLevel[]) => levels.reduce((max, level) => (order.indexOf(level) > order.indexOf(max) ? level : max), 'docs');

const isDescendant = (key: string, ancestor: string) => key.startsWith(`${ancestor}.`) || key.startsWith(`${ancestor}[`);
const parentOf = (key: string) => key.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, '');
/** The rule's subject: `declaration`, `method`, `function`, `operation`, `path`, `path-method` or `member`. */
const subject = (entry: SurfaceEntry) => noun(entry).replace('export', 'declaration').replace('method of a path', 'path-method');
const noun = (entry: SurfaceEntry) => (entry.kind === 'method' ? (entry.type === 'method' ? 'method' : 'function') : entry.kind === 'declaration' ? 'export' : topLevelNoun(entry.key));
function topLevelNoun(key: string): string {
  if (/^operations(\.[^.[]+)$/.test(key)) return 'operation';
  if (/^paths\[[^\]]+\]$/.test(key)) return 'path';
  if (/^paths\[[^\]]+\]\.[a-z]+$/.test(key)) return 'method of a path';
  return 'member';
}

/** What a caller's code meets when an entry goes away: breaking unless it is an optional input or an optional output (our policy: warning, as on the wire). */
function removalLevel(entry: SurfaceEntry): ChangeLevel {
  // A documented error status of an operation: code narrowing on it still compiles (on the wire: a warning too).
  if (/\.responses\["([13-5]\d\d|default)"\]$/.test(entry.key)) return 'warning';
  if (entry.kind !== 'member' || entry.role === 'name') return 'breaking';
  if (entry.role === 'input') return 'warning';
  return entry.optional ? 'warning' : 'breaking';
}

/** A new entry: breaking when callers must now pass it (a required member of something they build), else additive. */
const additionLevel = (entry: SurfaceEntry): ChangeLevel => (entry.kind === 'member' && !entry.optional && (entry.role === 'input' || entry.role === 'both') ? 'breaking' : 'safe');

/**
 * The members under `key` (relative keys → `optional type`), following a member typed by a named
 * declaration or component to that declaration's members: what the type looks like to a caller.
 */
function shape(surface: Surface, key: string, depth = 0): string | undefined {
  const entry = surface.get(key);
  if (!entry || depth > 8) return undefined;
  let root = key;
  if (entry.type !== '{…}' && entry.kind === 'member') {
    const component = /^components\["([^"]+)"\]\["([^"]+)"\]$/.exec(entry.type);
    const named = component ? `components.${component[1]}.${component[2]}` : /^[A-Za-z_$][\w$]*$/.test(entry.type) ? entry.type : undefined;
    // A type that names nothing of the surface (`string`, `Array<string>`) is itself.
    if (!named || !surface.has(named)) return `=${entry.type}`;
    const target = surface.get(named)!;
    if (target.kind === 'member' && target.type !== '{…}') return shape(surface, named, depth + 1);
    root = named;
  }
  const children = [...surface.values()].filter((child) => child.kind === 'member' && isDescendant(child.key, root) && parentOf(child.key) === root);
  return children
    .map((child) => `${child.key.slice(root.length)}${child.optional ? '?' : ''}:${shape(surface, child.key, depth + 1) ?? child.type}`)
    .sort()
    .join(';');
}

/** A removed entry's look-alike among the added ones: same shape, the only candidate. */
function renamedTo(before: Surface, after: Surface, removed: SurfaceEntry, added: SurfaceEntry[]): SurfaceEntry | undefined {
  const candidates = added.filter((entry) => entry.kind === removed.kind && (removed.kind !== 'member' || parentOf(entry.key) === parentOf(removed.key)));
  if (removed.kind === 'method') {
    const matches = candidates.filter((entry) => entry.returns === removed.returns && entry.parameters?.length === removed.parameters?.length && parentOf(entry.key) === parentOf(removed.key));
    return matches.length === 1 ? matches[0] : undefined;
  }
  const wanted = `${removed.type}|${shape(before, removed.key) ?? ''}`;
  const matches = candidates.filter((entry) => `${entry.type}|${shape(after, entry.key) ?? ''}` === wanted && (removed.kind !== 'member' || entry.optional === removed.optional));
  return matches.length === 1 ? matches[0] : undefined;
}

const code = (text: string) => `\`${text}\``;

/**
 * What changed in a generated package's public surface, rated for the code of its callers:
 * an export, method, operation or path that is removed or renamed breaks them; so does a
 * required member of something they build (request parameters, bodies), or a required member
 * of something they read that goes away or becomes optional. An optional member removed is a
 * warning (as oasdiff and our policy rate it on the wire); anything added is safe; a member whose
 * type is now named differently but is the same type (same members, or the same primitive) is
 * `docs`: callers see no difference.
 *
 * @param before - The surface generated from the base spec.
 * @param after - The surface generated from the head spec.
 * @returns The changes, top-most only: the members of a removed declaration are not listed again.
 */
export function diffSurfaces(before: Surface, after: Surface): CodeChange[] {
  const changes: CodeChange[] = [];
  const removed = [...before.values()].filter((entry) => !after.has(entry.key));
  const added = [...after.values()].filter((entry) => !before.has(entry.key));
  // Members whose type went from a literal to a named type (or back): their members are compared through the shape.
  const opaque = new Set<string>();
  for (const entry of before.values()) {
    const next = after.get(entry.key);
    if (next && entry.kind === 'member' && (entry.type === '{…}') !== (next.type === '{…}')) opaque.add(entry.key);
  }
  const covered = (key: string, set: Iterable<string>) => [...set].some((ancestor) => isDescendant(key, ancestor));
  const removedTop = removed.filter((entry) => !covered(entry.key, removed.map((other) => other.key)) && !covered(entry.key, opaque));
  const addedTop = added.filter((entry) => !covered(entry.key, added.map((other) => other.key)) && !covered(entry.key, opaque));
  const pairedAdditions = new Set<string>();

  for (const entry of removedTop) {
    const target = renamedTo(before, after, entry, addedTop.filter((candidate) => !pairedAdditions.has(candidate.key)));
    if (target) {
      pairedAdditions.add(target.key);
      const level = entry.kind === 'member' && entry.role !== 'name' ? strongest(removalLevel(entry), additionLevel(target), 'warning') : 'breaking';
      changes.push({ rule: `code-${subject(entry)}-renamed`, level, text: `${noun(entry)} ${code(entry.key)} renamed to ${code(target.key)}${level === 'breaking' ? ': code that uses the old name no longer compiles' : ''}`, symbol: entry.key, before: entry.signature, after: target.signature });
      continue;
    }
    const level = removalLevel(entry);
    changes.push({ rule: `code-${subject(entry)}-removed`, level, text: `${noun(entry)} ${code(entry.key)} removed${level === 'breaking' ? ': code that uses it no longer compiles' : ''}`, symbol: entry.key, before: entry.signature });
  }
  for (const entry of addedTop.filter((candidate) => !pairedAdditions.has(candidate.key))) {
    const level = additionLevel(entry);
    changes.push({
      rule: `code-${subject(entry)}-added`,
      level,
      text: level === 'breaking' ? `required ${noun(entry)} ${code(entry.key)} added: callers must now pass it` : `${noun(entry)} ${code(entry.key)} added`,
      symbol: entry.key,
      after: entry.signature,
    });
  }
  for (const entry of before.values()) {
    const next = after.get(entry.key);
    if (!next || next.signature === entry.signature) continue;
    if (entry.kind === 'method') {
      changes.push(methodChange(before, after, entry, next));
      continue;
    }
    if (entry.kind === 'declaration') {
      if (entry.union && next.union && entry.union.shell === next.union.shell) {
        changes.push(...unionChanges(entry, next));
        continue;
      }
      // An interface's own line does not change; a type alias's does, and a const's kind.
      changes.push({ rule: 'code-declaration-changed', level: 'warning', text: `${code(entry.key)} changed`, symbol: entry.key, before: entry.signature, after: next.signature });
      continue;
    }
    if (entry.optional !== next.optional) {
      const breaks = next.optional ? entry.role !== 'input' : entry.role === 'input' || entry.role === 'both';
      changes.push({
        rule: next.optional ? 'code-member-became-optional' : 'code-member-became-required',
        level: breaks ? 'breaking' : 'safe',
        text: `${code(entry.key)} became ${next.optional ? 'optional' : 'required'}${breaks ? (next.optional ? ': code that reads it must now handle undefined' : ': callers must now pass it') : ''}`,
        symbol: entry.key,
        before: entry.signature,
        after: next.signature,
      });
    }
    if (entry.type !== next.type) {
      const sameShape = shape(before, entry.key) !== undefined && shape(before, entry.key) === shape(after, next.key);
      if (entry.key.startsWith('paths[')) continue; // which operation a path's method is: see operations
      changes.push(
        sameShape
          ? { rule: 'code-member-type-renamed', level: 'docs', text: `${code(entry.key)} is now typed ${code(next.type)} instead of ${code(entry.type)}, which is the same type`, symbol: entry.key, before: entry.signature, after: next.signature }
          : { rule: 'code-member-type-changed', level: 'warning', text: `the type of ${code(entry.key)} changed from ${code(entry.type)} to ${code(next.type)}`, symbol: entry.key, before: entry.signature, after: next.signature },
      );
    }
  }
  return changes;
}

/**
 * A union alias's members added and removed (the per-API `auth` of a factory's options gaining
 * or losing a way to authenticate, a primitive union gaining a value). For what callers pass
 * (`input`): a member removed breaks the code that passes it, one added breaks nothing; for what
 * they read (`output`, `both`): one added may reach code that handles only the old ones (a
 * warning, as an enum value added to a response), one removed breaks nothing that reads (`both`:
 * it breaks what passes it). A union no root reaches: a warning either way.
 */
function unionChanges(entry: SurfaceEntry, next: SurfaceEntry): CodeChange[] {
  const [old, now] = [entry.union!.members, next.union!.members];
  const where = { symbol: entry.key, before: entry.signature, after: next.signature };
  const removed: ChangeLevel = entry.role === 'input' || entry.role === 'both' ? 'breaking' : entry.role === 'output' ? 'safe' : 'warning';
  const added: ChangeLevel = entry.role === 'input' ? 'safe' : 'warning';
  return [
    ...old
      .filter((member) => !now.includes(member))
      .map((member) => ({ rule: 'code-union-member-removed', level: removed, text: `${code(member)} removed from ${code(entry.key)}${removed === 'breaking' ? ': code that passes it no longer compiles' : ''}`, ...where })),
    ...now
      .filter((member) => !old.includes(member))
      .map((member) => ({ rule: 'code-union-member-added', level: added, text: `${code(member)} added to ${code(entry.key)}${entry.role === 'input' ? '' : ': code that handles each member may meet one it does not know'}`, ...where })),
  ];
}

function methodChange(before: Surface, after: Surface, entry: SurfaceEntry, next: SurfaceEntry): CodeChange {
  const [old, now] = [entry.parameters ?? [], next.parameters ?? []];
  const sameParameters = old.length === now.length && old.every((parameter, index) => parameter.name === now[index]!.name && parameter.type === now[index]!.type && parameter.optional === now[index]!.optional);
  const where = { symbol: entry.key, before: entry.signature, after: next.signature };
  if (sameParameters && entry.returns !== next.returns) {
    // Only the returned type: a new name for the same members is nothing to a caller (the old name's removal is reported on its own).
    const named = (type: string | undefined) => /^Promise<([A-Za-z_$][\w$]*)>$/.exec(type ?? '')?.[1] ?? type ?? '';
    const same = shape(before, named(entry.returns)) !== undefined && shape(before, named(entry.returns)) === shape(after, named(next.returns));
    // From nothing to something adds; otherwise code that uses the result may no longer compile.
    const level: ChangeLevel = same || /^Promise<void>$/.test(entry.returns ?? '') ? 'safe' : 'breaking';
    return {
      rule: 'code-method-return-type-changed',
      level,
      text: `${noun(entry)} ${code(entry.key)} now returns ${code(next.returns ?? '')} instead of ${code(entry.returns ?? '')}${same ? ', with the same members' : level === 'breaking' ? ': code that uses the result may no longer compile' : ''}`,
      ...where,
    };
  }
  // Only parameters that became optional: callers compile as before.
  const loosened = old.length === now.length && old.every((parameter, index) => parameter.name === now[index]!.name && parameter.type === now[index]!.type && (!parameter.optional || now[index]!.optional)) && entry.returns === next.returns;
  return {
    rule: 'code-method-signature-changed',
    level: loosened ? 'safe' : 'breaking',
    text: `${noun(entry)} ${code(entry.key)} changed its parameters${loosened ? ' (now optional)' : ': calls written for the old ones may no longer compile'}`,
    ...where,
  };
}
