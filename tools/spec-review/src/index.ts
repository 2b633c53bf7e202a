export { bumpFor, maxBump, type Bump, type ChangeLevel, type SpecChange } from './changes.ts';
export { findMissingChangesets, formatMissing, type MissingChangeset } from './changeset-check.ts';
export { documentChanges } from './document-changes.ts';
export { commentMarker, formatJson, formatMarkdown } from './format.ts';
export { normalizeDocument } from './normalize.ts';
export { requestNarrowings, type NarrowedKeyword, type RequestNarrowing } from './request-narrowing.ts';
export { applyRequestNarrowings, type AcceptedPatternChange } from './request-policy.ts';
export { compareStringConstraints, type StringComparison, type StringConstraints } from './samples.ts';
export { defaultBaseRef, diffDocuments, type DiffOptions, repositoryRoot, packagesOf, reviewSpecs, type ApiReview, type PackageBump, type SpecReview } from './review.ts';
