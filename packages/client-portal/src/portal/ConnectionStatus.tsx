import { Badge } from '@mantine/core';
import { useSyncExternalStore } from 'react';
import { connection } from '../api/client';
import type { ConnectionState } from '../api/connection';
import { useT } from '../i18n/useT';

const COLOR: Record<ConnectionState, string> = {
  idle: 'gray',
  connecting: 'yellow',
  connected: 'green',
  reconnecting: 'orange',
};

/** Small and quiet: whether live updates are flowing. */
export function ConnectionStatus() {
  const t = useT();
  const state = useSyncExternalStore(connection.subscribe, connection.get);
  return (
    <Badge
      variant="dot"
      color={COLOR[state]}
      size="sm"
      radius="sm"
      role="status"
      aria-live="polite"
      data-testid="connection-status"
      data-state={state}
      styles={{ root: { textTransform: 'none', fontWeight: 500 } }}
    >
      {t(`portal.live.${state}`)}
    </Badge>
  );
}
