import ts from 'typescript';

/**
 * How callers meet a declaration or member: they build it (`input`: request parameters and
 * bodies), read it (`output`: responses), both, or type its name (`name`: methods, operation and
 * path names, factories).
 */
export type SurfaceRole = 'input' | 'output' | 'both' | 'name';

export interface SurfaceParameter {
  name: string;
  type: string;
  optional: boolean;
}

/** One exported declaration, method or member of a generated package's public TypeScript surface. */
export interface SurfaceEntry {
  /** Dotted path: `GetTransactionRequest.transactionId`, `PaymentsApi.getTransaction`, `operations.getTransaction.parameters.path.id`. */
  key: string;
  kind: 'declaration' | 'method' | 'member';
  /** What a reader of the report sees: `transactionId: string`, `getTransaction(requestParameters: GetTransactionRequest, ...): Promise<Transaction>`. */
  signature: string;
  /** The type, as printed (members), or the declaration's shape. */
  type: string;
  optional: boolean;
  role: SurfaceRole;
  /** Methods: their parameters and return type. */
  parameters?: SurfaceParameter[];
  returns?: string;
  /**
   * A type alias that is a union (`A | B`), or a generic of one type argument
   * (`ClientOptions<A | B>`, the factory's options: its argument is the `auth` a caller passes):
   * the text around the union (`…`, `ClientOptions<…>`) and its members as printed. Its changes
   * are told member by member.
   */
  union?: { shell: string; members: string[] };
}

/** The public surface of one generated package: entries by key. */
export type Surface = Map<string, SurfaceEntry>;

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** A type node as one line of text, without comments. */
function print(node: ts.Node | undefined, source: ts.SourceFile): string {
  if (!node) return 'unknown';
  return printer.printNode(ts.EmitHint.Unspecified, node, source).replace(/\s+/g, ' ').trim();
}

const parse = (name: string, text: string) => ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);

const isExported = (node: ts.Node) => (ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);

const memberName = (name: ts.PropertyName | ts.BindingName | undefined, source: ts.SourceFile): string | undefined => {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return print(name, source);
};

/** `a.b`, or `a["/x/{y}"]` when a segment is not an identifier. */
export const joinKey = (parent: string, segment: string) => (parent === '' ? segment : /^[A-Za-z_$][\w$]*$/.test(segment) ? `${parent}.${segment}` : `${parent}[${JSON.stringify(segment)}]`);

/** The names a type node refers to: `Transaction`, `typeof X`, and `components["schemas"]["X"]` as `components.schemas.X`. */
function referencedNames(node: ts.Node): string[] {
  const names: string[] = [];
  const visit = (child: ts.Node) => {
    if (ts.isTypeReferenceNode(child) && ts.isIdentifier(child.typeName)) names.push(child.typeName.text);
    if (ts.isTypeQueryNode(child) && ts.isIdentifier(child.exprName)) names.push(child.exprName.text);
    if (ts.isExpressionWithTypeArguments(child) && ts.isIdentifier(child.expression)) names.push(child.expression.text);
    if (ts.isIndexedAccessTypeNode(child)) {
      const chain: string[] = [];
      let current: ts.TypeNode = child;
      while (ts.isIndexedAccessTypeNode(current)) {
        const index = current.indexType;
        if (ts.isLiteralTypeNode(index) && ts.isStringLiteral(index.literal)) chain.unshift(index.literal.text);
        current = current.objectType;
      }
      if (ts.isTypeReferenceNode(current) && ts.isIdentifier(current.typeName) && chain.length >= 2) {
        names.push(`${current.typeName.text}.${chain.slice(0, 2).join('.')}`);
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return names;
}

interface Collected {
  entries: Surface;
  /** Graph for roles: owner → names it refers to. */
  references: Map<string, Set<string>>;
  /** Owner of each entry (the declaration or component whose role it takes). */
  owners: Map<string, string>;
  inputRoots: Set<string>;
  outputRoots: Set<string>;
}

const newCollected = (): Collected => ({ entries: new Map(), references: new Map(), owners: new Map(), inputRoots: new Set(), outputRoots: new Set() });

function addReferences(collected: Collected, owner: string, node: ts.Node) {
  const set = collected.references.get(owner) ?? new Set<string>();
  for (const name of referencedNames(node)) set.add(name);
  collected.references.set(owner, set);
}

/**
 * Members of a type literal or interface, recursively: a member whose type is itself a literal is
 * an entry (`{…}`) and its members are entries too. Members typed `never` (openapi-typescript's
 * "no such thing") are not part of the surface.
 */
function addMembers(collected: Collected, parent: string, owner: string | ((key: string) => string), members: ts.NodeArray<ts.TypeElement>, source: ts.SourceFile, skip?: (key: string) => boolean) {
  for (const member of members) {
    let key: string;
    let typeNode: ts.TypeNode | undefined;
    let optional = false;
    if (ts.isPropertySignature(member)) {
      const name = memberName(member.name, source);
      if (name === undefined) continue;
      key = joinKey(parent, name);
      typeNode = member.type;
      optional = member.questionToken !== undefined;
    } else if (ts.isIndexSignatureDeclaration(member)) {
      key = `${parent}[${print(member.parameters[0]?.type, source)}]`;
      typeNode = member.type;
    } else if (ts.isMethodSignature(member)) {
      continue; // interfaces that mirror a class (the SDK's *ApiInterface): the class is reported
    } else {
      continue;
    }
    if (skip?.(key)) continue;
    if (typeNode && typeNode.kind === ts.SyntaxKind.NeverKeyword) continue;
    const literal = typeNode && ts.isTypeLiteralNode(typeNode) ? typeNode : undefined;
    const type = literal ? '{…}' : print(typeNode, source);
    const ownerName = typeof owner === 'string' ? owner : owner(key);
    collected.entries.set(key, { key, kind: 'member', signature: `${key}${optional ? '?' : ''}: ${type}`, type, optional, role: 'name' });
    collected.owners.set(key, ownerName);
    if (typeNode) addReferences(collected, ownerName, typeNode);
    if (literal) addMembers(collected, key, owner, literal.members, source, skip);
  }
}

/** Names of the SDK's (de)serialisers and guards derived from a model (`XFromJSON`, `instanceOfX`): reported with the model. */
const derivedFunction = /^(instanceOf.+|.+(FromJSON|FromJSONTyped|ToJSON|ToJSONTyped))$/;
/** The SDK's variants of each method (`xRaw`, `xRequestOpts`): they follow the method. */
const derivedMethod = /(Raw|RequestOpts)$/;

function collectDeclarations(collected: Collected, source: ts.SourceFile, options: { skipMembers?: (name: string) => boolean } = {}) {
  for (const statement of source.statements) {
    if (!isExported(statement)) continue;
    if (ts.isInterfaceDeclaration(statement)) {
      const name = statement.name.text;
      const mirrorsClass = statement.members.some(ts.isMethodSignature);
      declare(collected, name, `interface ${name}`, mirrorsClass ? 'interface (methods of the API class)' : 'interface');
      for (const heritage of statement.heritageClauses ?? []) addReferences(collected, name, heritage);
      if (!options.skipMembers?.(name)) addMembers(collected, name, name, statement.members, source);
    } else if (ts.isTypeAliasDeclaration(statement)) {
      const name = statement.name.text;
      if (ts.isTypeLiteralNode(statement.type)) {
        declare(collected, name, `type ${name} = {…}`, 'type {…}');
        addMembers(collected, name, name, statement.type.members, source);
      } else {
        const text = print(statement.type, source);
        const entry = declare(collected, name, `type ${name} = ${text}`, `type ${text}`);
        const union = unionOf(statement.type, source);
        if (union) entry.union = union;
      }
      addReferences(collected, name, statement.type);
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      const name = statement.name.text;
      if (derivedFunction.test(name)) continue;
      const parameters = statement.parameters.map((parameter) => ({ name: memberName(parameter.name, source)!, type: print(parameter.type, source), optional: parameter.questionToken !== undefined || parameter.initializer !== undefined }));
      const returns = print(statement.type, source);
      const entry = declare(collected, name, `function ${name}(${formatParameters(parameters)}): ${returns}`, 'function');
      Object.assign(entry, { kind: 'method', parameters, returns });
      for (const parameter of statement.parameters) if (parameter.type) addReferences(collected, `${name}()`, parameter.type);
      collected.inputRoots.add(`${name}()`);
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      const name = statement.name.text;
      declare(collected, name, `class ${name}`, 'class');
      for (const member of statement.members) {
        if (!ts.isMethodDeclaration(member) || !member.name) continue;
        const modifiers = ts.getModifiers(member) ?? [];
        if (modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.PrivateKeyword || modifier.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
        const method = memberName(member.name, source)!;
        if (derivedMethod.test(method) && statement.members.some((other) => ts.isMethodDeclaration(other) && memberName(other.name, source) === method.replace(derivedMethod, ''))) {
          // Its variants still root the types they use.
          for (const parameter of member.parameters) if (parameter.type) addReferences(collected, `${name}.${method}()`, parameter.type);
          if (member.type) addReferences(collected, `${name}.${method}:returns`, member.type);
          collected.inputRoots.add(`${name}.${method}()`);
          collected.outputRoots.add(`${name}.${method}:returns`);
          continue;
        }
        const parameters = member.parameters.map((parameter) => ({ name: memberName(parameter.name, source)!, type: print(parameter.type, source), optional: parameter.questionToken !== undefined || parameter.initializer !== undefined }));
        const returns = print(member.type, source);
        const key = `${name}.${method}`;
        collected.entries.set(key, { key, kind: 'method', signature: `${key}(${formatParameters(parameters)}): ${returns}`, type: 'method', optional: false, role: 'name', parameters, returns });
        for (const parameter of member.parameters) if (parameter.type) addReferences(collected, `${key}()`, parameter.type);
        if (member.type) addReferences(collected, `${key}:returns`, member.type);
        collected.inputRoots.add(`${key}()`);
        collected.outputRoots.add(`${key}:returns`);
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const name = memberName(declaration.name, source)!;
        declare(collected, name, `const ${name}`, 'const');
        let initializer = declaration.initializer;
        while (initializer && (ts.isAsExpression(initializer) || ts.isSatisfiesExpression(initializer) || ts.isParenthesizedExpression(initializer))) initializer = initializer.expression;
        // typescript-fetch's enums: `export const XEnum = { A: 'A' } as const`: each value is a member.
        if (initializer && ts.isObjectLiteralExpression(initializer) && name !== 'apiDefinition') {
          for (const property of initializer.properties) {
            if (!ts.isPropertyAssignment(property)) continue;
            const key = joinKey(name, memberName(property.name, source)!);
            const value = print(property.initializer, source);
            // A name callers type (`TransactionStatusEnum.COMPLETED`), whichever way the value goes.
            collected.entries.set(key, { key, kind: 'member', signature: `${key} = ${value}`, type: value, optional: false, role: 'name' });
          }
        }
      }
    }
  }
}

/** The members of a union alias, or of the one type argument of a generic alias (see {@link SurfaceEntry.union}). */
function unionOf(type: ts.TypeNode, source: ts.SourceFile): SurfaceEntry['union'] {
  const members = (node: ts.TypeNode) => (ts.isUnionTypeNode(node) ? node.types.map((member) => print(member, source)) : [print(node, source)]);
  if (ts.isUnionTypeNode(type)) return { shell: '…', members: members(type) };
  if (!ts.isTypeReferenceNode(type) || type.typeArguments?.length !== 1) return undefined;
  return { shell: `${print(type.typeName, source)}<…>`, members: members(type.typeArguments[0]!) };
}

function declare(collected: Collected, name: string, signature: string, type: string): SurfaceEntry {
  const existing = collected.entries.get(name);
  // `const X` and `type X` of one enum: one declaration.
  const entry: SurfaceEntry = existing
    ? { ...existing, signature: `${existing.signature}; ${signature}`, type: `${existing.type}+${type}` }
    : { key: name, kind: 'declaration', signature, type, optional: false, role: 'name' };
  collected.entries.set(name, entry);
  collected.owners.set(name, name);
  return entry;
}

const formatParameters = (parameters: SurfaceParameter[]) => parameters.map((parameter) => `${parameter.name}${parameter.optional ? '?' : ''}: ${parameter.type}`).join(', ');

/** Gives every member the role of its owner: what input roots reach is `input`, what output roots reach is `output`. */
function assignRoles(collected: Collected): Surface {
  const reach = (roots: Set<string>) => {
    const seen = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      for (const next of collected.references.get(name) ?? []) queue.push(next);
    }
    return seen;
  };
  const inputs = reach(collected.inputRoots);
  const outputs = reach(collected.outputRoots);
  for (const entry of collected.entries.values()) {
    const owner = collected.owners.get(entry.key);
    // A type alias callers pass (the factory's options) or read: what a union member's change does depends on it.
    if (entry.kind === 'declaration' && entry.union) entry.role = inputs.has(entry.key) && outputs.has(entry.key) ? 'both' : inputs.has(entry.key) ? 'input' : outputs.has(entry.key) ? 'output' : 'name';
    if (entry.kind !== 'member' || owner === undefined) continue;
    const input = inputs.has(owner);
    const output = outputs.has(owner);
    // A model no operation reaches (an error body read through CarrierApiError): read, like a response.
    entry.role = input && output ? 'both' : input ? 'input' : 'output';
  }
  return collected.entries;
}

/**
 * The public surface of an SDK (openapi-generator typescript-fetch, then @carrier-api/sdk-gen):
 * the API class's methods with their parameters, every exported interface, type alias, enum
 * and function with its members. `runtime.ts` (the same for every API) and the (de)serialisers
 * derived from each model are left out; methods' `Raw`/`RequestOpts` variants follow the method.
 *
 * @param files - Source text by path relative to the generated folder (`apis/PaymentsApi.ts`, `models/Transaction.ts`, `sdk.ts`).
 */
export function sdkSurface(files: Record<string, string>): Surface {
  const collected = newCollected();
  for (const [name, text] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    if (!name.endsWith('.ts') || name === 'runtime.ts' || name.endsWith('index.ts') || name === 'definition.ts') continue;
    collectDeclarations(collected, parse(name, text));
  }
  return assignRoles(collected);
}

/**
 * The public surface of a light client (openapi-typescript's `paths`, `operations` and
 * `components`, and client-gen's index: type aliases of the schemas, the factory and its
 * options): every path and its methods, every operation with its parameters (`path`, `query`,
 * `header`), request body and responses, every component. Path-item `parameters` are left out:
 * openapi-fetch types a call by its operation.
 *
 * @param files - `schema.ts` and `index.ts` as client-gen renders them.
 */
export function clientSurface(files: Record<string, string>): Surface {
  const collected = newCollected();
  const schema = parse('schema.ts', files['schema.ts'] ?? '');
  for (const statement of schema.statements) {
    if (!ts.isInterfaceDeclaration(statement) || !isExported(statement)) continue;
    const root = statement.name.text;
    if (root === 'paths') {
      addMembers(collected, 'paths', 'paths', statement.members, schema, (key) => /^paths\[[^\]]+\]\.parameters\b/.test(key));
    } else if (root === 'operations') {
      addMembers(collected, 'operations', (key) => {
        const [, operation, section] = /^operations\.([^.[]+)(?:\.([A-Za-z]+))?/.exec(key) ?? [];
        return section === 'parameters' || section === 'requestBody' ? `operations.${operation}:input` : section === 'responses' ? `operations.${operation}:output` : `operations.${operation}`;
      }, statement.members, schema);
      for (const key of collected.owners.keys()) {
        const owner = collected.owners.get(key)!;
        if (owner.endsWith(':input')) collected.inputRoots.add(owner);
        if (owner.endsWith(':output')) collected.outputRoots.add(owner);
      }
    } else if (root === 'components') {
      addMembers(collected, 'components', (key) => /^components\.[A-Za-z]+\.[^.[]+|^components\.[A-Za-z]+\[[^\]]+\]/.exec(key)?.[0].replace(/\[("[^"]+")\]$/, (_, quoted: string) => `.${JSON.parse(quoted) as string}`) ?? key, statement.members, schema);
    }
  }
  // Components are reached as components.<section>.<name>: the keys of their owners say the same.
  for (const entry of collected.entries.values()) {
    const owner = collected.owners.get(entry.key);
    if (owner?.startsWith('operations.') && !owner.includes(':')) entry.role = 'name';
  }
  collectDeclarations(collected, parse('index.ts', files['index.ts'] ?? ''));
  const entries = assignRoles(collected);
  for (const [key, entry] of entries) {
    // The path and operation names themselves, and what each path's method points at, are names.
    if (/^(paths|operations)(\.[^.[]+|\[[^\]]+\])$/.test(key) || /^paths\[[^\]]+\]\.[a-z]+$/.test(key)) entry.role = 'name';
  }
  return entries;
}
