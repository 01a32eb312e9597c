import { useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useMemo } from 'react';
import { connection } from '../api/client';
import { useTraderSession } from '../account/session';
import { PublicCatalogueChangedDocument, PublicCatalogueDocument } from '../gql/graphql';
import { visitorTimeZone } from './format';

/**
 * The brand's published plans in catalogue order, in the visitor's language and with times also in
 * their own zone (a signed-in trader's profile zone, else the browser's). Staff reordering or publishing pushes `publicCatalogueChanged`, and the catalogue
 * is fetched again; so it is after a dropped connection comes back.
 */
export function useCatalogue(brandSlug: string, locale: string) {
  const browserZone = useMemo(visitorTimeZone, []);
  const timeZone = useTraderSession().trader?.timeZone ?? browserZone;
  const query = useQuery(PublicCatalogueDocument, {
    variables: { brandSlug, locale, timeZone },
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: false,
  });
  const { refetch } = query;

  const { restart } = useSubscription(PublicCatalogueChangedDocument, {
    variables: { brandSlug },
    onData: () => void refetch(),
    // A subscription the server ended with an error is not retried by graphql-ws: try again later.
    onError: () => window.setTimeout(() => restart(), 5_000),
  });

  useEffect(() => connection.onReconnected(() => void refetch()), [refetch]);

  // While another language loads, the catalogue on screen stays (no flash of a loader).
  return { ...query, catalogue: (query.data ?? query.previousData)?.publicCatalogue, timeZone };
}
