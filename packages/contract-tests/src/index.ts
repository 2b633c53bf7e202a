export type { CaseInput, ContractCase, ContractSuite } from './cases.js';
export { CheckFailed, CheckSkipped, checkKinds, deriveChecks, maxPinTries, type BehaviourCheck, type CheckContext, type CheckKind } from './behaviour.js';
export { createResponseChecker, type ContractFailure } from './check.js';
export { acceptedCredentials, ContractUsageError, type ContractCredentials, type CredentialKind } from './credentials.js';
export { evaluate, type Answer, type OutgoingRequest, type Sender } from './http.js';
export { formatReport, type ReporterName } from './reporters.js';
export { loadSuite, runContractTests, summarize, type CaseResult, type ContractReport, type KindCounts, type RunContractTestsOptions } from './run.js';
export { capabilitySkip, readCapabilities, type ServerCapabilities } from './capabilities.js';
