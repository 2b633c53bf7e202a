import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from './openapi.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

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
export function createSpecValidator(document: OpenApiDocument) {
  const ajv = new Ajv({ strict: false, allErrors: true, discriminator: true });
  addFormats(ajv);
  ajv.addSchema(document as object, 'spec.json', undefined, false);

  return {
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
