import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { apiProblems, hasCode, mapFieldErrors } from './errors';

const FIELDS = ['name', 'slug', 'colors.primary', 'colors.accent', 'timeZone', 'hosts'] as const;

const graphQLError = (errors: object[]) => new CombinedGraphQLErrors({ errors } as never);

describe('apiProblems', () => {
  it('reads code, message and field paths from GraphQL errors', () => {
    const error = graphQLError([
      {
        message: 'must be an IANA time zone',
        extensions: {
          code: 'BAD_USER_INPUT',
          fields: [{ path: ['input', 'timeZone'], message: 'must be an IANA time zone' }],
        },
      },
    ]);
    expect(apiProblems(error)).toEqual([
      {
        code: 'BAD_USER_INPUT',
        message: 'must be an IANA time zone',
        fields: [{ path: ['input', 'timeZone'], message: 'must be an IANA time zone' }],
      },
    ]);
    expect(hasCode(error, 'BAD_USER_INPUT')).toBe(true);
    expect(hasCode(error, 'CONFLICT')).toBe(false);
  });

  it('ignores malformed field entries', () => {
    const error = graphQLError([
      { message: 'x', extensions: { code: 'BAD_USER_INPUT', fields: [{ path: 'input.slug' }, null, 3] } },
    ]);
    expect(apiProblems(error)[0]!.fields).toEqual([]);
  });

  it('treats anything else as a network problem', () => {
    expect(apiProblems(new TypeError('Failed to fetch'))).toEqual([
      { code: 'NETWORK', message: 'Failed to fetch', fields: [] },
    ]);
    expect(apiProblems(undefined)).toEqual([]);
  });
});

describe('mapFieldErrors', () => {
  it('strips the leading input and puts each message on its field', () => {
    const mapped = mapFieldErrors(
      [
        {
          code: 'BAD_USER_INPUT',
          message: 'two problems',
          fields: [
            { path: ['input', 'timeZone'], message: 'must be an IANA time zone' },
            { path: ['input', 'colors', 'primary'], message: 'must be a colour like #1c7ed6' },
          ],
        },
      ],
      FIELDS,
    );
    expect(mapped.fieldErrors).toEqual({
      timeZone: 'must be an IANA time zone',
      'colors.primary': 'must be a colour like #1c7ed6',
    });
    expect(mapped.formErrors).toEqual([]);
  });

  it('puts a CONFLICT on a duplicate slug under Slug', () => {
    const mapped = mapFieldErrors(
      [
        {
          code: 'CONFLICT',
          message: 'The slug "atlas" is already used by another brand',
          fields: [{ path: ['input', 'slug'], message: 'already used by another brand' }],
        },
      ],
      FIELDS,
    );
    expect(mapped.fieldErrors).toEqual({ slug: 'already used by another brand' });
  });

  it('lands deeper paths on the closest field and joins several messages', () => {
    const mapped = mapFieldErrors(
      [
        {
          code: 'BAD_USER_INPUT',
          message: 'hosts',
          fields: [
            { path: ['input', 'hosts', '0'], message: 'is not a host name' },
            { path: ['input', 'hosts', '2'], message: 'is too long' },
          ],
        },
      ],
      FIELDS,
    );
    expect(mapped.fieldErrors).toEqual({ hosts: 'is not a host name; is too long' });
  });

  it('keeps unknown fields and field-less errors at form level', () => {
    const mapped = mapFieldErrors(
      [
        { code: 'BAD_USER_INPUT', message: 'x', fields: [{ path: ['input', 'plan'], message: 'is required' }] },
        { code: 'FORBIDDEN', message: 'You are not allowed to do this', fields: [] },
      ],
      FIELDS,
    );
    expect(mapped.fieldErrors).toEqual({});
    expect(mapped.formErrors).toEqual([
      { code: 'BAD_USER_INPUT', message: 'plan: is required' },
      { code: 'FORBIDDEN', message: 'You are not allowed to do this' },
    ]);
  });

  it('supports another root argument (file uploads)', () => {
    const mapped = mapFieldErrors(
      [{ code: 'BAD_USER_INPUT', message: 'x', fields: [{ path: ['file', 'base64'], message: 'too big' }] }],
      ['base64'] as const,
      'file',
    );
    expect(mapped.fieldErrors).toEqual({ base64: 'too big' });
  });
});
