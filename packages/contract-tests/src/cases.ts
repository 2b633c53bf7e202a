/** One request derived from a spec, and what the contract says the answer must be. */
export interface ContractCase {
  /** `<operationId>/<kind>/<slug>`, stable across runs. */
  id: string;
  operationId: string;
  kind: 'positive' | 'negative';
  /** What the case does, in words: "missing required body field pin". */
  name: string;
  request: {
    method: string;
    /** The path with its parameters filled in, URL-encoded. */
    path: string;
    query: Record<string, string>;
    headers: Record<string, string>;
    contentType?: string;
    body?: unknown;
  };
  /** Send the credentials given to the runner (false: the "missing credentials" case). */
  authenticated: boolean;
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
