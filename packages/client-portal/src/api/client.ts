import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { createConnectionStore } from './connection';

const wsUrl = () => `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`;

export const connection = createConnectionStore();

/** Retries for ever, with graphql-ws's randomised exponential back-off, so a dropped socket comes back by itself. */
export const wsClient = createClient({
  url: wsUrl,
  // The server signs the socket in with the trader cookie (not the staff one the admin uses).
  connectionParams: { app: 'portal' },
  lazy: true,
  // Re-subscribing (another slug) must not look like a dropped connection.
  lazyCloseTimeout: 5_000,
  retryAttempts: Number.POSITIVE_INFINITY,
  shouldRetry: () => true,
  on: {
    connecting: () => connection.dispatch('connecting'),
    connected: () => connection.dispatch('connected'),
    closed: () => connection.dispatch('closed'),
  },
});

const link = ApolloLink.split(
  (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
  new GraphQLWsLink(wsClient),
  new HttpLink({ uri: '/graphql', credentials: 'same-origin', headers: { 'x-brokerdeck-app': 'portal' } }),
);

/**
 * A socket authenticates once, when it opens: after signing in or out it is reopened so that its
 * subscriptions run as the new viewer (graphql-ws reconnects and re-subscribes by itself).
 */
export function reopenSocket() {
  wsClient.terminate();
}

// A size keeps its id across a plan's versions: each stays inside its catalogue entry.
export const client = new ApolloClient({
  cache: new InMemoryCache({ typePolicies: { AccountSize: { keyFields: false } } }),
  link,
});
