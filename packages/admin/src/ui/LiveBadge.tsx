import { Badge } from '@mantine/core';
import type { LiveStatus } from '../api/live';
import { useT } from '../i18n/LocaleProvider';

const COLOR: Record<LiveStatus, string> = { live: 'teal', connecting: 'yellow', reconnecting: 'orange' };

/** The state of a panel's live data, announced politely when it changes. */
export function LiveBadge({ status, testId = 'live-state' }: { status: LiveStatus; testId?: string }) {
  const t = useT();
  return (
    <Badge
      color={COLOR[status]}
      variant="dot"
      tt="none"
      size="lg"
      role="status"
      aria-live="polite"
      data-testid={testId}
      data-state={status}
    >
      {t(`live.${status}`)}
    </Badge>
  );
}
