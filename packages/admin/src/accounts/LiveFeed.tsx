import { Anchor, Badge, Group, Paper, Text, Title } from '@mantine/core';
import { useReducer } from 'react';
import { Link } from 'react-router';
import type { LiveStatus } from '../api/live';
import { useLiveSubscription } from '../api/useLiveSubscription';
import { ChallengeEventsDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatTimeOfDay } from '../ui/format';
import { LiveBadge } from '../ui/LiveBadge';
import { explainTransition, ruleLabel } from './explain';
import { FEED_COLORS, type FeedItem, feedReducer, isFeedKind } from './feed';

export interface FeedAccount {
  id: string;
  traderName: string;
  login: string;
  currency: string;
}

/** Breaches, passes and near-breach warnings of the brand's accounts, as they happen. */
export function useChallengeFeed(brandId: string, onEvent: (kind: string) => void) {
  const [items, dispatch] = useReducer(feedReducer, []);
  const { status } = useLiveSubscription(ChallengeEventsDocument, {
    variables: { brandId },
    onData: (data) => {
      dispatch({ type: 'event', event: data.challengeEvents });
      onEvent(data.challengeEvents.kind);
    },
  });
  return { items, status };
}

export function LiveFeed({
  items,
  status,
  accounts,
  timeZone,
  currency,
}: {
  items: FeedItem[];
  status: LiveStatus;
  accounts: ReadonlyMap<string, FeedAccount>;
  timeZone: string;
  currency: string;
}) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby="live-feed-heading"
      data-testid="live-feed"
    >
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={3} size="h4" id="live-feed-heading">
          {t('feed.title')}
        </Title>
        <LiveBadge status={status} testId="feed-live-state" />
      </Group>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="feed-empty">
          {t('feed.empty')}
        </Text>
      ) : (
        <ol className="bd-feed-list" aria-live="polite" aria-relevant="additions">
          {items.map((item) => {
            const account = accounts.get(item.accountId);
            const explained = explainTransition(t, item, {
              locale,
              currency: account?.currency ?? currency,
              timeZone,
            });
            return (
              <Paper
                key={item.key}
                component="li"
                withBorder
                p="xs"
                radius="sm"
                data-testid="feed-item"
                data-kind={item.kind}
                style={{ borderInlineStart: `4px solid var(--mantine-color-${explained.color}-6)` }}
              >
                <Group justify="space-between" gap={4} wrap="nowrap">
                  <Badge
                    color={isFeedKind(item.kind) ? FEED_COLORS[item.kind] : 'gray'}
                    variant="dot"
                    tt="none"
                    size="sm"
                  >
                    {isFeedKind(item.kind) ? t(`feed.kind.${item.kind}`) : item.kind}
                  </Badge>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {formatTimeOfDay(item.at, locale, timeZone)}
                  </Text>
                </Group>
                <Anchor component={Link} to={`/accounts/${item.accountId}`} size="sm" fw={600} mt={4} display="block">
                  {account ? `${account.traderName} · ${account.login}` : t('feed.unknownAccount')}
                </Anchor>
                {item.rule && (
                  <Text size="xs" fw={500}>
                    {ruleLabel(t, item.rule)}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {explained.body}
                </Text>
              </Paper>
            );
          })}
        </ol>
      )}
    </Paper>
  );
}
