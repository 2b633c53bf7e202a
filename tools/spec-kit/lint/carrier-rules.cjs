// Redocly plugin with the rules of carrier-api that the built-in ruleset does not have.
// Each rule reports at the exact node, so lint output names file, JSON pointer and rule.

/** operationIds become SDK method names: startTransaction, submitPin, getSubscriberPackages. */
function OperationIdCamelCase() {
  return {
    Operation(operation, ctx) {
      if (operation.operationId !== undefined && !/^[a-z][a-zA-Z0-9]*$/.test(operation.operationId)) {
        ctx.report({
          message: `operationId "${operation.operationId}" must be lowerCamelCase (it becomes a method name).`,
          location: ctx.location.child('operationId'),
        });
      }
    },
  };
}

/** Clients type their errors from the spec, so every 4xx/5xx response must declare its body. */
function ErrorResponseHasBodySchema() {
  return {
    Response: {
      leave(response, ctx) {
        const status = ctx.key.toString();
        if (!/^[45]/.test(status)) return;
        const media = Object.entries(response.content ?? {});
        if (media.length === 0) {
          ctx.report({ message: `Error response ${status} must have a body schema.`, location: ctx.location.key() });
          return;
        }
        for (const [type, mediaType] of media) {
          if (!mediaType.schema) {
            ctx.report({
              message: `Error response ${status} (${type}) must have a schema.`,
              location: ctx.location.child(['content', type]),
            });
          }
        }
      },
    },
  };
}

/** `x-inferred` marks what the vendor documents leave open: it must say why. */
function InferredHasReason() {
  const check = (node, ctx) => {
    if (!node || typeof node !== 'object' || !('x-inferred' in node)) return;
    const reason = node['x-inferred'];
    if (typeof reason !== 'string' || reason.trim().length < 10) {
      ctx.report({
        message: 'x-inferred must be a sentence saying what the documents leave open and why this was chosen.',
        location: ctx.location.child('x-inferred'),
      });
    }
  };
  return { any: { enter: check } };
}

/** Every spec says which vendor document it was written from. */
function InfoNamesSourceDocument() {
  return {
    Info(info, ctx) {
      if (!/Source: vendor document `\d{3}_[0-9a-f]{16}\.txt`/.test(info.description ?? '')) {
        ctx.report({
          message: 'info.description must name its source: "Source: vendor document `NNN_<hash>.txt`".',
          location: ctx.location.child('description'),
        });
      }
    },
  };
}

/**
 * `x-behaviour` on an operation is what the sandbox (@carrier-api/mock) does beyond the shapes of
 * the spec, with the vendor sentence it implements: `implements` starts with the document's number
 * (`001`, or `001/000` for a sentence two documents share) and quotes it; `x-inferred` says what the
 * sandbox decides where the document is silent. Nothing else, so that a typo is not silently ignored.
 */
function BehaviourNamesItsSentence() {
  return {
    Operation(operation, ctx) {
      if (!('x-behaviour' in operation)) return;
      const behaviour = operation['x-behaviour'];
      const at = ctx.location.child('x-behaviour');
      if (!behaviour || typeof behaviour !== 'object' || Array.isArray(behaviour)) {
        ctx.report({ message: 'x-behaviour must be an object with `implements` (and optionally `x-inferred`).', location: at });
        return;
      }
      for (const key of Object.keys(behaviour)) {
        if (key !== 'implements' && key !== 'x-inferred') ctx.report({ message: `x-behaviour has only \`implements\` and \`x-inferred\`, not \`${key}\`.`, location: at.child(key) });
      }
      const sentence = behaviour.implements;
      if (typeof sentence !== 'string' || !/^\d{3}(\/\d{3})*\b.*"[^"]{3,}"/s.test(sentence)) {
        ctx.report({
          message: 'x-behaviour.implements must start with the vendor document\'s number (e.g. 001) and quote the sentence it implements.',
          location: at.child('implements'),
        });
      }
    },
  };
}

module.exports = function carrierPlugin() {
  return {
  id: 'carrier',
  rules: {
    oas3: {
      'operation-id-camel-case': OperationIdCamelCase,
      'error-response-has-body-schema': ErrorResponseHasBodySchema,
      'inferred-has-reason': InferredHasReason,
      'info-names-source-document': InfoNamesSourceDocument,
      'behaviour-names-its-sentence': BehaviourNamesItsSentence,
    },
  },
  };
};
