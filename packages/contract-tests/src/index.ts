export type { ContractCase, ContractSuite } from './cases.js';
export { createResponseChecker, type ContractFailure } from './check.js';
export type { ContractCredentials } from './credentials.js';
export { formatReport, type ReporterName } from './reporters.js';
export { loadSuite, runContractTests, type CaseResult, type ContractReport, type RunContractTestsOptions } from './run.js';
