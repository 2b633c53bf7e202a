/**
 * Where a case takes one of its values from at run time, instead of a value written in the spec:
 * the answer to an earlier request (an OpenAPI link, or a documented relation), or an option of
 * the run (`--pin`).
 */
export interface CaseInput {
  /** Where the value goes: `path:<name>`, `query:<name>`, `header:<name>` or `body:<field>`. */
  target: string;
  /** The id of the case whose answer holds the value; it is sent again, just before this case. */
  fromCase?: string;
  /** A runtime expression on that answer: `$response.body#/transactionId`. */
  expression?: string;
  /** An option of the run instead of an answer: the test PIN (`--pin`). */
  option?: 'pin';
  /** Why the value comes from there: the spec link (a JSON pointer) or the documented relation. */
  via: string;
}

/** One request derived from a spec, and what the contract says the answer must be. */
export interface ContractCase {
  /** `<operationId>/<kind>/<slug>`, stable across runs. */
  id: string;
  operationId: string;
  kind: 'positive' | 'negative';
  /** What the case does, in words: "missing required body field pin". */
  name: string;
  /** The spec element the case enforces (a JSON pointer into the bundle), and in words what of it. */
  enforces?: string;
  request: {
    method: string;
    /** The path with its parameters filled in, URL-encoded. */
    path: string;
    /** The path parameters `path` was filled with (not URL-encoded), to fill it again with values from `uses`. */
    pathParameters?: Record<string, string>;
    query: Record<string, string>;
    headers: Record<string, string>;
    contentType?: string;
    body?: unknown;
  };
  /** Send the credentials given to the runner (false: the "missing credentials" case). */
  authenticated: boolean;
  /** Values taken at run time from earlier answers or options; each replaces the value in `request`. */
  uses?: CaseInput[];
  /** The case executes something on a conforming server (a state-changing positive request, or one whose inputs come from one): skipped by `--read-only`. */
  changesState?: boolean;
  expect: {
    /** The documented statuses the answer must have. */
    statuses: string[];
  };
}

/** The cases of one API, as the generator writes them to `cases/<api>.json`. */
export interface ContractSuite {
  api: string;
  specVersion: string;
  cases: ContractCase[];
}
