import type { ApolloCache } from '@apollo/client';

/**
 * After a brand is created, renamed, archived or restored, every cached `brands(...)` list may be
 * wrong (membership or order): drop them so the list refetches when shown. The brand itself is
 * normalised (`Brand:<id>`) and already updated from the mutation result.
 */
export function forgetBrandLists(cache: ApolloCache) {
  cache.evict({ id: 'ROOT_QUERY', fieldName: 'brands' });
  cache.gc();
}
