import { CarrierValidationError } from './errors.js';
import type { OperationDefinition } from './api-definition.js';

type ReferenceRule = NonNullable<OperationDefinition['requestReference']>;

/** A fresh request reference valid for the rule (20 characters of [A-Za-z0-9+/] for MTN). */
export function generateRequestReference(rule: ReferenceRule): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const reference = btoa(String.fromCharCode(...bytes)).replace(/=+$/, '').slice(0, rule.maxLength);
  return reference;
}

/** Throws a CarrierValidationError naming the header and the rule when `value` breaks it. */
export function assertRequestReference(value: string, rule: ReferenceRule): void {
  if (value.length < rule.minLength || value.length > rule.maxLength || !new RegExp(rule.pattern).test(value)) {
    throw new CarrierValidationError(
      rule.header,
      `pattern ${rule.pattern}`,
      `must be ${rule.minLength} to ${rule.maxLength} ASCII letters, digits, or + / = -; got ${value.length} character(s)`,
    );
  }
}
