export { behaviourChanges, behaviourFields, withoutBehaviour, type Behaviour, type BehaviourChange, type BehaviourField } from './behaviour-changes.ts';
export { bumpFor, maxBump, type Bump, type ChangeLevel, type SpecChange } from './changes.ts';
export { findMissingChangesets, formatMissing, type MissingChangeset } from './changeset-check.ts';
export { documentChanges } from './document-changes.ts';
export { commentMarker, formatGithub, formatJson, formatMarkdown } from './format.ts';
export { diffSurfaces, type CodeChange } from './code-changes.ts';
export { generateSurfaces, isGenerationFailure, type GenerationFailure, type PackageSurfaces, type SurfaceRequest } from './generated-surfaces.ts';
export { bundleSpec, loadFile, loadSide, loadSides, newInputsCache, specInputs, type DisplayRoot, type InputsCache, type SpecSide } from './load-specs.ts';
export { clientSurface, sdkSurface, type Surface, type SurfaceEntry, type SurfaceParameter, type SurfaceRole } from './surface.ts';
export { normalizeDocument } from './normalize.ts';
export { isSecurityChange, requirementText, securityChanges, type SecurityChange } from './security-changes.ts';
export { requestNarrowings, type NarrowedKeyword, type RequestNarrowing } from './request-narrowing.ts';
export { applyRequestNarrowings, type AcceptedPatternChange } from './request-policy.ts';
export { compareStringConstraints, type StringComparison, type StringConstraints } from './samples.ts';
export { UsageError } from '@carrier-api/spec-kit/command';
export {
  acceptedChangesFile,
  defaultBaseRef,
  diffDocuments,
  loadAcceptedChanges,
  resolveBase,
  resolveRef,
  type DiffOptions,
  repositoryRoot,
  packagesOf,
  behaviourBumpOf,
  generationFailed,
  reviewFiles,
  reviewSides,
  reviewSpecs,
  workspacePackageNames,
  type ApiReview,
  type BumpReason,
  type PackageBump,
  type ReviewOptions,
  type SpecReview,
} from './review.ts';
