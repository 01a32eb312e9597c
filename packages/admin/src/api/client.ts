import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { MeDocument } from '../gql/graphql';
import { setSocketState } from './live';

const wsUrl = () => `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`;

let socket: WebSocket | null = null;

/** Same origin: the `bd_session` cookie authenticates both the HTTP requests and the WebSocket. */
export const wsClient = createClient({
  url: wsUrl,
  lazy: true,
  retryAttempts: Number.POSITIVE_INFINITY,
  shouldRetry: () => true,
  on: {
    connecting: () => setSocketState('connecting'),
    connected: (s) => {
      socket = s as WebSocket;
      setSocketState('connected');
    },
    closed: () => {
      socket = null;
      setSocketState('closed');
    },
  },
});

/** The socket authenticated when it opened; after signing in or out it must reopen as the new viewer. */
export function restartSocket() {
  if (socket?.readyState === WebSocket.OPEN) socket.close(4205, 'Client Restart');
}

export const cache = new InMemoryCache({
  typePolicies: {
    // A phase or size keeps its id across a plan's versions while its content differs: each stays
    // inside its version instead of being merged into one cache entry.
    Phase: { keyFields: false },
    AccountSize: { keyFields: false },
    Query: {
      fields: {
        // A brand already in the cache (from the list or a mutation) opens in the editor without a round trip.
        brand: {
          read: (existing, { args, toReference }) =>
            existing ?? (args?.id ? toReference({ __typename: 'Brand', id: String(args.id) }) : undefined),
        },
      },
    },
  },
});

/** A session that expired (or was revoked) mid-visit: forget `me`, and the route guard sends the visitor to sign in. */
const signedOut = new ErrorLink(({ error, operation }) => {
  if (operation.operationName === 'SignIn') return;
  if (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
    cache.writeQuery({ query: MeDocument, data: { me: null } });
  }
});

const link = ApolloLink.split(
  (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
  new GraphQLWsLink(wsClient),
  new HttpLink({ uri: '/graphql', credentials: 'same-origin' }),
);

export const client = new ApolloClient({ cache, link: ApolloLink.from([signedOut, link]) });
