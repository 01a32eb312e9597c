import type { ApolloCache } from '@apollo/client';

/** After an account is issued, approved or rejected, the cached account lists refetch when shown. */
export function forgetAccountLists(cache: ApolloCache) {
  cache.evict({ id: 'ROOT_QUERY', fieldName: 'challengeAccounts' });
  cache.gc();
}
