// carrier-generate-reference --out <dir>: the offline API reference (landing page, one Redoc page
// and one fidelity report per bundled API).
import { runCommand, UsageError } from '@carrier-api/spec-kit/command';
import { writeReference } from './write.ts';

await runCommand(
  {
    name: 'carrier-generate-reference',
    usage: 'usage: carrier-generate-reference --out <dir>\n\nWrites <dir>/index.html, and <dir>/<api>/index.html, fidelity.md and openapi.json per bundled API.',
    options: { out: { type: 'string' } },
  },
  (values) => {
    if (!values.out) throw new UsageError('--out', 'required', '--out <dir> is required');
    const written = writeReference(values.out);
    console.log(`reference: ${written.length} APIs into ${values.out}: ${written.join(', ')}`);
  },
);
