import { describe, expect, it } from 'vitest';
import { createCarrierFetch, MIN_SECRET_LENGTH_ANYWHERE, REDACTED, redactText, redactValue } from '../src/index.js';
import { paymentsDefinition } from './fixtures.js';

/**
 * Redaction by value must not destroy unrelated text (issue 27, input 5): a secret of at least
 * MIN_SECRET_LENGTH_ANYWHERE characters is masked wherever it occurs, a shorter one only where no
 * letter or digit touches it; credential fields are masked by position whatever they hold.
 */
const long = 'sk-live-0123456789';
const textRows: Array<{ row: string; secret: string; text: string; expected: string }> = [
  { row: 'a one-letter token inside words is left alone', secret: 't', text: 'releaseTransaction answered HTTP 200 (application/json) with text', expected: 'releaseTransaction answered HTTP 200 (application/json) with text' },
  { row: 'a one-letter token at the end of a word', secret: 't', text: 'Bad Request', expected: 'Bad Request' },
  { row: 'a one-letter token standing alone after Bearer', secret: 't', text: 'Authorization: Bearer t', expected: `Authorization: Bearer ${REDACTED}` },
  { row: 'a short token as a JSON string', secret: 't', text: '{"token":"t","note":"it"}', expected: `{"token":"${REDACTED}","note":"it"}` },
  { row: 'a short password echoed in a form', secret: 's3cret', text: 'username=m&password=s3cret&grant_type=password', expected: `username=m&password=${REDACTED}&grant_type=password` },
  { row: 'a short password inside a longer number or word', secret: '1234', text: 'order 12345 and a1234', expected: 'order 12345 and a1234' },
  { row: 'a short PIN standing alone', secret: '1234', text: 'wrong PIN 1234.', expected: `wrong PIN ${REDACTED}.` },
  { row: 'a short secret touched by a non-ASCII letter', secret: 'ab', text: 'éab ab', expected: `éab ${REDACTED}` },
  { row: 'a short secret percent-encoded', secret: 'a b', text: 'q=a%20b&x', expected: `q=${REDACTED}&x` },
  { row: 'a long secret inside a word is masked all the same', secret: long, text: `x${long}y and ${long}`, expected: `x${REDACTED}y and ${REDACTED}` },
  { row: `a secret of exactly ${MIN_SECRET_LENGTH_ANYWHERE} characters is masked anywhere`, secret: 'abcdefgh', text: 'xabcdefghy', expected: `x${REDACTED}y` },
  { row: 'a secret one shorter is masked only alone', secret: 'abcdefg', text: 'xabcdefgy abcdefg', expected: `xabcdefgy ${REDACTED}` },
];

describe('redactText', () => {
  it.each(textRows)('$row', ({ secret, text, expected }) => {
    expect(redactText(text, [secret])).toBe(expected);
  });
});

describe('redactValue: credential fields by position', () => {
  it.each([
    { row: 'a password field, with no secret in play', value: { password: 'x' }, secrets: [], expected: { password: REDACTED } },
    { row: 'a token field in another case, nested', value: { data: [{ Access_Token: 'a' }] }, secrets: ['t'], expected: { data: [{ Access_Token: REDACTED }] } },
    { row: 'a field that only contains a short secret inside a word', value: { message: 'Bad Request' }, secrets: ['t'], expected: { message: 'Bad Request' } },
    { row: 'an empty credential field is left as it is', value: { pin: '' }, secrets: [], expected: { pin: '' } },
  ])('$row', ({ value, secrets, expected }) => {
    expect(redactValue(value, secrets)).toEqual(expected);
  });
});

describe('an error of a client holding a one-letter token', () => {
  it('reads as the server wrote it, and still masks the token where it stands alone', async () => {
    const fetch = createCarrierFetch({
      definition: paymentsDefinition('https://api.example.test'),
      auth: { accessToken: 't' },
      retry: false,
      throwOnHttpError: true,
      fetch: async () => new Response(JSON.stringify({ code: 'BAD_REQUEST', message: 'Bad Request: token t refused' }), { status: 400, headers: { 'Content-Type': 'application/json' } }),
    });
    const error = (await fetch('https://api.example.test/auth/transactions/t-1').catch((caught: unknown) => caught)) as Error & { body: unknown };
    expect(error.message).toContain('getTransaction');
    expect(error.message).toContain(`Bad Request: token ${REDACTED} refused`);
    expect(error.body).toEqual({ code: 'BAD_REQUEST', message: `Bad Request: token ${REDACTED} refused` });
  });
});
