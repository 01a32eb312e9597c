import { useApolloClient, useQuery } from '@apollo/client/react';
import { createContext, type ReactNode, useCallback, useContext, useMemo } from 'react';
import { reopenSocket } from '../api/client';
import { TraderMeDocument, type TraderFieldsFragment, TraderSignOutDocument } from '../gql/graphql';

export interface TraderSession {
  /** The signed-in trader of this brand; null when signed out (or signed in on another brand's portal). */
  trader: TraderFieldsFragment | null;
  /** True until the first answer about who is signed in. */
  loading: boolean;
  /** After signing in or up, or a profile change: the trader as the API returned them. */
  signedIn(trader: TraderFieldsFragment): void;
  /** After a profile change: the same session, the trader as the API now has them. */
  updated(trader: TraderFieldsFragment): void;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
}

const SessionContext = createContext<TraderSession | null>(null);

/**
 * Who is signed in on this portal. The session itself is an httpOnly cookie the page never sees;
 * `traderMe` tells. In development every brand shares one origin (and so one cookie): a trader of
 * another brand counts as signed out here.
 */
export function TraderSessionProvider({ brandSlug, children }: { brandSlug: string; children: ReactNode }) {
  const client = useApolloClient();
  const query = useQuery(TraderMeDocument, { fetchPolicy: 'cache-and-network' });
  const me = query.data?.traderMe ?? null;
  const trader = me && me.brandSlug === brandSlug ? me : null;

  const signedIn = useCallback(
    (next: TraderFieldsFragment) => {
      client.writeQuery({ query: TraderMeDocument, data: { traderMe: next } });
      client.cache.evict({ fieldName: 'myChallengeAccounts' });
      reopenSocket();
    },
    [client],
  );

  const updated = useCallback(
    (next: TraderFieldsFragment) => client.writeQuery({ query: TraderMeDocument, data: { traderMe: next } }),
    [client],
  );

  const signOut = useCallback(async () => {
    await client.mutate({ mutation: TraderSignOutDocument }).catch(() => undefined);
    client.writeQuery({ query: TraderMeDocument, data: { traderMe: null } });
    client.cache.evict({ fieldName: 'myChallengeAccounts' });
    client.cache.gc();
    reopenSocket();
  }, [client]);

  // Not `refetch`: Apollo answers an identical query in flight with that request's result, and the
  // first `traderMe` of a page opened from a verification link was sent before the link was used.
  const refresh = useCallback(async () => {
    await client.query({
      query: TraderMeDocument,
      fetchPolicy: 'network-only',
      context: { queryDeduplication: false },
    });
  }, [client]);

  const value = useMemo(
    () => ({ trader, loading: query.loading && !query.data, signedIn, updated, signOut, refresh }),
    [trader, query.loading, query.data, signedIn, updated, signOut, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useTraderSession(): TraderSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useTraderSession outside TraderSessionProvider');
  return session;
}
