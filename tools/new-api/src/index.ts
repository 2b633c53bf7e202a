export { addToRegistries, boilerplateFiles, identityOf, kinds, renderChangeset, starterFiles, writeFiles } from './scaffold.ts';
export { camelCase, clientCallSource, exampleCall, sdkRequestSource, toSource, type ExampleCall } from './example.ts';
export { apiTitle, newIdentity, packageOf, renderPackageJson, renderTurboJson, type PackageIdentity, type PackageKind } from './templates.ts';
