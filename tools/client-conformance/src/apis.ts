import { listBundledApis, loadBundledSpec } from '@carrier-api/specs';
import type { ApiDefinition } from '@carrier-api/runtime';
import { buildOperationCases, type OperationCase, type SpecDocument } from './operations.ts';

/** A client factory as every generated package exports one: `create…Client` or `create…Sdk`. */
export type Factory = (options: Record<string, unknown>) => Record<string, unknown>;

/** One API of the registry, with its two kinds of client as built (their packages' `dist`). */
export interface ApiUnderTest {
  name: string;
  spec: SpecDocument;
  definition: ApiDefinition;
  /** The light client's package: `create…Client` and `expectData`. */
  light: { createClient: Factory; expectData: (pending: unknown) => Promise<unknown> };
  /** The SDK's package: `create…Sdk` and its models' `…FromJSON`. */
  sdk: { createSdk: Factory; module: Record<string, unknown> };
  operations: OperationCase[];
}

/** The package's single export whose name matches `pattern` (a factory), or an error naming what was found. */
function findFactory(module: Record<string, unknown>, pattern: RegExp, packageName: string): Factory {
  const names = Object.keys(module).filter((name) => pattern.test(name) && typeof module[name] === 'function');
  if (names.length !== 1) throw new Error(`${packageName}: expected one export matching ${pattern}, found ${names.length ? names.join(', ') : 'none'}`);
  return module[names[0]!] as Factory;
}

/** Imports a package a row runs against; a missing one names the devDependency to add. */
async function importPackage(name: string): Promise<Record<string, unknown>> {
  try {
    return (await import(name)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${name} cannot be imported: add it to the devDependencies of @carrier-api/client-conformance (workspace:*) and build it (${String(error)})`);
  }
}

/**
 * Every API the registry lists (`listBundledApis()` of @carrier-api/specs), with its light client
 * (`@carrier-api/<api>`) and SDK (`@carrier-api/<api>-sdk`) and one request per operation built
 * from the bundled spec's examples. No API is named here: a new one joins the table by itself.
 *
 * @throws Error naming the package when a client or SDK of a listed API cannot be imported, or
 *   exports no single factory.
 */
export async function loadApis(): Promise<ApiUnderTest[]> {
  const apis: ApiUnderTest[] = [];
  for (const { name } of listBundledApis()) {
    const lightModule = await importPackage(`@carrier-api/${name}`);
    const sdkModule = await importPackage(`@carrier-api/${name}-sdk`);
    const spec = loadBundledSpec(name) as unknown as SpecDocument;
    const definition = lightModule.apiDefinition as ApiDefinition;
    apis.push({
      name,
      spec,
      definition,
      light: { createClient: findFactory(lightModule, /^create\w+Client$/, `@carrier-api/${name}`), expectData: lightModule.expectData as (pending: unknown) => Promise<unknown> },
      sdk: { createSdk: findFactory(sdkModule, /^create\w+Sdk$/, `@carrier-api/${name}-sdk`), module: sdkModule },
      operations: buildOperationCases(spec),
    });
  }
  return apis;
}
