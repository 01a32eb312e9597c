/** What the visitor sees about the live connection (brand updates and, later, account data). */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

export type ConnectionEvent = 'connecting' | 'connected' | 'closed';

/**
 * The next state after a graphql-ws event. A close after having been connected means the socket
 * dropped: the client retries, and until it is back the state is `reconnecting`.
 */
export function nextConnectionState(
  state: ConnectionState,
  event: ConnectionEvent,
  everConnected: boolean,
): ConnectionState {
  switch (event) {
    case 'connecting':
      return everConnected ? 'reconnecting' : 'connecting';
    case 'connected':
      return 'connected';
    case 'closed':
      return everConnected || state === 'reconnecting' ? 'reconnecting' : 'idle';
  }
}

type Listener = () => void;

/** A tiny external store (for `useSyncExternalStore`) fed by graphql-ws's `on` callbacks. */
export function createConnectionStore() {
  let state: ConnectionState = 'idle';
  let everConnected = false;
  const listeners = new Set<Listener>();
  const reconnectListeners = new Set<Listener>();
  return {
    get: () => state,
    subscribe(listener: Listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    /** Called after the socket came back from a drop: time to refetch what may have been missed. */
    onReconnected(listener: Listener) {
      reconnectListeners.add(listener);
      return () => {
        reconnectListeners.delete(listener);
      };
    },
    dispatch(event: ConnectionEvent) {
      const wasReconnect = event === 'connected' && everConnected;
      state = nextConnectionState(state, event, everConnected);
      if (event === 'connected') everConnected = true;
      for (const l of listeners) l();
      if (wasReconnect) for (const l of reconnectListeners) l();
    },
  };
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;
