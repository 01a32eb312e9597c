import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatPercent } from '../ui/format';
import { barValue, isAccountStatus, isReviewState, statusColor, usageColor } from './usage';

const REVIEW_COLORS = {
  PENDING_REVIEW: 'orange',
  AWAITING_TRADER: 'yellow',
  APPROVED: 'green',
  REJECTED: 'red',
} as const;

export function AccountStatusBadge({ status, review }: { status: string; review?: string | null }) {
  const t = useT();
  return (
    <Stack gap={2} align="flex-start">
      <Badge
        color={statusColor(status)}
        variant="dot"
        tt="none"
        miw="max-content"
        data-testid="account-status"
        data-status={status}
      >
        {isAccountStatus(status) ? t(`accounts.status.${status}`) : status}
      </Badge>
      {isReviewState(review) && (
        <Badge color={REVIEW_COLORS[review]} variant="dot" tt="none" miw="max-content" data-testid="account-review">
          {t(`accounts.review.${review}`)}
        </Badge>
      )}
    </Stack>
  );
}

/** A limit's share used: a bar in the colour of its level and the figure (colour is never the only cue). */
export function UsageBar({ usedPct, label }: { usedPct: number | null | undefined; label: string }) {
  const { locale } = useLocale();
  if (usedPct === null || usedPct === undefined) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const color = usageColor(usedPct);
  return (
    <Group gap={8} wrap="nowrap" justify="flex-end">
      {/* The figure beside it says the same to everyone: the bar is decoration. */}
      <Progress value={barValue(usedPct)} color={color} w={40} size="md" aria-hidden />
      <Text
        size="sm"
        fw={600}
        c={color === 'red' ? 'red.9' : undefined}
        w={44}
        ta="end"
        style={{ fontVariantNumeric: 'tabular-nums' }}
        title={`${label}: ${formatPercent(usedPct, locale)}`}
      >
        {formatPercent(Math.max(0, usedPct), locale, 0)}
      </Text>
    </Group>
  );
}
