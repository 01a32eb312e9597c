import { CombinedGraphQLErrors } from '@apollo/client/errors';

/** The API's `extensions.code` of the first error, or NETWORK when the request never got an answer. */
export function errorCode(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    const code = error.errors[0]?.extensions?.code;
    return typeof code === 'string' ? code : 'INTERNAL';
  }
  return 'NETWORK';
}
