import { Ajv, type ErrorObject } from 'ajv';
import * as ajvFormats from 'ajv-formats';

// ajv-formats is CommonJS: under ESM its function arrives as `default`, sometimes wrapped twice.
type AddFormats = (ajv: Ajv) => Ajv;
const formatsModule = ajvFormats as unknown as { default: AddFormats | { default: AddFormats } };
const addFormats: AddFormats = typeof formatsModule.default === 'function' ? formatsModule.default : formatsModule.default.default;

export interface SchemaIssue {
  /** JSON pointer into the validated value. */
  instancePath: string;
  /** The JSON Schema keyword that failed (type, pattern, required...). */
  rule: string;
  message: string;
}

/**
 * Validates values against schemas of an OpenAPI 3.0 document, addressed by JSON pointer
 * (`#/components/schemas/Transaction`, `#/paths/.../schema`). `nullable`, formats and the
 * document's local $refs are honoured; `example` and `x-*` are annotations.
 */
export function createSpecValidator(document: object) {
  const ajv = new Ajv({ strict: false, allErrors: true, discriminator: true });
  addFormats(ajv);
  ajv.addSchema(document, 'spec.json', undefined, false);

  return {
    /** The issues of `value` against the schema at `pointer` (`#/components/schemas/X`); [] when valid. */
    validate(pointer: string, value: unknown): SchemaIssue[] {
      const validateFn = ajv.getSchema(`spec.json${pointer}`) ?? ajv.compile({ $ref: `spec.json${pointer}` });
      if (validateFn(value)) return [];
      return (validateFn.errors ?? []).map(toIssue);
    },
  };
}

function toIssue(error: ErrorObject): SchemaIssue {
  const detail = error.keyword === 'enum' ? `: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
  return { instancePath: error.instancePath || '/', rule: error.keyword, message: `${error.message ?? 'is invalid'}${detail}` };
}

export function formatIssues(issues: SchemaIssue[]): string {
  return issues.map((issue) => `${issue.instancePath} [${issue.rule}] ${issue.message}`).join('; ');
}
