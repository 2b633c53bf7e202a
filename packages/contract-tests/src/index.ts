export type { ContractCase, ContractSuite } from './cases.js';
export { createResponseChecker, type ContractFailure } from './check.js';
export { acceptedCredentials, ContractUsageError, type ContractCredentials, type CredentialKind } from './credentials.js';
export { formatReport, type ReporterName } from './reporters.js';
export { loadSuite, runContractTests, type CaseResult, type ContractReport, type RunContractTestsOptions } from './run.js';
