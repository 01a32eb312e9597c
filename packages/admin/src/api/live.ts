import { useSyncExternalStore } from 'react';

/** The WebSocket that carries every subscription: not yet opened, opening, open, or dropped. */
export type SocketState = 'idle' | 'connecting' | 'connected' | 'closed';

/** What a live panel shows: data flowing, a first connection under way, or a dropped one being retried. */
export type LiveStatus = 'live' | 'connecting' | 'reconnecting';

let state: SocketState = 'idle';
let everConnected = false;
const listeners = new Set<() => void>();

/** Called by the WebSocket client (api/client.ts) on each change. */
export function setSocketState(next: SocketState) {
  if (next === 'connected') everConnected = true;
  if (next === state) return;
  state = next;
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const snapshot = () => state;

export function useSocketState(): SocketState {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/**
 * A subscription is live while the socket is open and the subscription has not failed; before the
 * first connection it is connecting; after a drop (or an error, retried by the page) it is reconnecting.
 */
export function liveStatus(socket: SocketState, failed: boolean, hadConnection = everConnected): LiveStatus {
  if (socket === 'connected' && !failed) return 'live';
  return hadConnection || failed ? 'reconnecting' : 'connecting';
}

/** Milliseconds before retrying a failed subscription: 1, 2, 4 … at most 30 seconds. */
export function retryDelay(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt));
}
