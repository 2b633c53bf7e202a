export { listApis, specEntry, repoRoot, specsDir, redoclyConfig, redoclyConfigPath } from './apis.ts';
export { bundleApi, serializeBundle, writeBundles, SpecBundleError } from './bundle.ts';
export { readBundle, deref, pointerOf, pointerSegments, resolvePointer, listOperations, type OperationInfo } from './load.ts';
export { lintSpecs, formatProblem, type LintProblem } from './lint.ts';
export { runCommand, assertKnown, checkOutputDir, replaceOutputDir, UsageError, type CommandSpec } from './command.ts';
export * from './openapi.ts';
