import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { useSubscription } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { type LiveStatus, liveStatus, retryDelay, useSocketState } from './live';

/**
 * A subscription with its connection state: a failed subscription is restarted with a growing
 * delay, and `onReconnect` runs after a dropped socket opens again, so that the page refetches
 * whatever it may have missed meanwhile.
 */
export function useLiveSubscription<TData, TVariables extends OperationVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  options: {
    variables: TVariables;
    skip?: boolean;
    onData?(data: TData): void;
    onReconnect?(): void;
  },
): { status: LiveStatus; data: TData | undefined } {
  const socket = useSocketState();
  const [failed, setFailed] = useState(false);
  const attempts = useRef(0);
  const timer = useRef<number | undefined>(undefined);
  const latest = useRef(options);
  latest.current = options;

  const subscription = useSubscription(document, {
    variables: options.variables,
    skip: options.skip,
    onData: ({ data }: { data: { data?: unknown } }) => {
      attempts.current = 0;
      setFailed(false);
      if (data.data) latest.current.onData?.(data.data as TData);
    },
    onError: () => {
      setFailed(true);
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(
        () => {
          setFailed(false);
          subscription.restart();
        },
        retryDelay(attempts.current++),
      );
    },
    // Apollo's options type resolves `variables` from concrete variable types; this hook is generic.
  } as never) as useSubscription.Result<TData>;

  useEffect(() => () => window.clearTimeout(timer.current), []);

  // The socket came back after a drop: graphql-ws subscribes again, the page catches up.
  const previous = useRef(socket);
  useEffect(() => {
    if (socket === 'connected' && previous.current === 'closed') latest.current.onReconnect?.();
    previous.current = socket;
  }, [socket]);

  return { status: liveStatus(socket, failed), data: subscription.data as TData | undefined };
}
