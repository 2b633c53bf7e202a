import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '@carrier-api/spec-kit';
import { generateSurfaces, isGenerationFailure } from '../src/index.ts';
import { errorLines } from '../src/generated-surfaces.ts';
import { revise } from './revise.ts';

// A spec a generator refuses is a failure of that package, not of the review.
const base = parse(readFileSync(join(import.meta.dirname, 'fixtures', 'base.yaml'), 'utf8')) as OpenApiDocument;

describe('generateSurfaces with specs the generators refuse', () => {
  it('gives each refused SDK its own reason, and generates the others', async () => {
    const undeclared = revise(base, [{ remove: '/paths/~1transactions~1{transactionId}/get/parameters/0' }]);
    const noMediaType = revise(base, [{ set: '/paths/~1transactions/post/requestBody', value: { required: true, content: {} } }]);
    const digest = revise(base, [{ set: '/components/securitySchemes/oauth', value: { type: 'http', scheme: 'digest' } }]);
    const [fine, first, second, scheme] = await generateSurfaces([base, undeclared, noMediaType, digest].map((document) => ({ api: 'payments', document })));
    expect(isGenerationFailure(fine!.client) || isGenerationFailure(fine!.sdk)).toBe(false);
    expect(fine!.sdk).toBeInstanceOf(Map);
    // Two refused in one batch run, which names neither: each was generated again, alone.
    expect(first!.sdk).toEqual({
      failed: "openapi-generator could not generate the SDK:\npaths.'/transactions/{transactionId}'. Declared path parameter transactionId needs to be defined as a path parameter in path or operation level",
    });
    expect(second!.sdk).toEqual({ failed: "openapi-generator could not generate the SDK:\nattribute paths.'/transactions'(post).requestBody.content with no media type is unsupported" });
    // client-gen renders both: their light clients are compared as usual.
    expect(isGenerationFailure(first!.client)).toBe(false);
    expect(isGenerationFailure(second!.client)).toBe(false);
    // openapi-generator generates this one; client-gen and sdk-gen refuse its scheme.
    expect(scheme!.client).toEqual({ failed: 'client-gen: payments: unsupported security scheme {"type":"http","scheme":"digest"}' });
    expect(scheme!.sdk).toEqual({ failed: 'sdk-gen: payments: unsupported security scheme {"type":"http","scheme":"digest"}' });
  }, 300_000);
});

describe("openapi-generator's reason for a failed run", () => {
  const rows = [
    {
      name: 'the items of its validation errors, once',
      output: "[pool-1-thread-1] Generation failed for unspecified: (SpecValidationException) There were issues.\n | Error count: 1\nErrors: \n\t-paths.'/x'. Declared path parameter id needs to be defined\n\norg.openapitools.codegen.SpecValidationException: There were issues.\nErrors: \n\t-paths.'/x'. Declared path parameter id needs to be defined\n\tat org.openapitools.codegen.Foo(Foo.java:1)\n[FAIL] Completed with 1 failures, 0 successes",
      reason: "paths.'/x'. Declared path parameter id needs to be defined",
    },
    {
      name: 'its failure line when there is no list',
      output: '[pool-1-thread-2] Generation failed for unspecified: (RuntimeException) Could not process model Foo\n[FAIL] Completed with 1 failures, 0 successes',
      reason: 'RuntimeException: Could not process model Foo',
    },
    { name: 'a line naming an error', output: 'starting\nException in thread "main" java.lang.OutOfMemoryError\n', reason: 'Exception in thread "main" java.lang.OutOfMemoryError' },
    { name: 'its last lines otherwise', output: 'one\ntwo', reason: 'one\ntwo' },
  ];
  it.each(rows)('$name', ({ output, reason }) => {
    expect(errorLines(output)).toBe(reason);
  });
});
