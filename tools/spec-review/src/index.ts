export { bumpFor, maxBump, type Bump, type ChangeLevel, type SpecChange } from './changes.ts';
export { findMissingChangesets, formatMissing, type MissingChangeset } from './changeset-check.ts';
export { documentChanges } from './document-changes.ts';
export { commentMarker, formatJson, formatMarkdown } from './format.ts';
export { defaultBaseRef, diffDocuments, repositoryRoot, packagesOf, reviewSpecs, type ApiReview, type PackageBump, type SpecReview } from './review.ts';
