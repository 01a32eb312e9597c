import { useApolloClient, useQuery } from '@apollo/client/react';
import { Anchor, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { PlanBrandsDocument, PlatformsDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatDateTime } from '../plans/format';
import { rememberBrand } from '../ui/brand-scope';
import { isolate } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { IngestionPanel } from './IngestionPanel';
import { InstrumentsPanel } from './InstrumentsPanel';
import { PlatformKindBadge, PlatformStatusBadge } from './PlatformBadges';

const TABS = ['instruments', 'ingestion'] as const;
type Tab = (typeof TABS)[number];

/**
 * `/platforms/:platformId?brand=…`: a platform's instruments with live quotes, and its ingestion
 * monitor. Links carry the brand; without it the page looks the platform up among the brands.
 */
export function PlatformPage() {
  const { platformId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const brandId = params.get('brand');

  useEffect(() => {
    if (brandId) rememberBrand(brandId);
  }, [brandId]);

  if (!brandId) {
    return (
      <FindBrand
        platformId={platformId}
        onFound={(id) =>
          setParams(
            (p) => {
              p.set('brand', id);
              return p;
            },
            { replace: true },
          )
        }
      />
    );
  }
  return <PlatformView key={`${brandId}:${platformId}`} brandId={brandId} platformId={platformId} />;
}

/** The API has no platform-by-id query: ask each brand for its platforms until one has it. */
function FindBrand({ platformId, onFound }: { platformId: string; onFound(brandId: string): void }) {
  const t = useT();
  const client = useApolloClient();
  const [missing, setMissing] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const found = useRef(onFound);
  found.current = onFound;
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const { data } = await client.query({ query: PlanBrandsDocument });
        for (const brand of data?.brands ?? []) {
          const result = await client.query({ query: PlatformsDocument, variables: { brandId: brand.id } });
          if (cancelled) return;
          if (result.data?.platforms.some((p) => p.id === platformId)) return found.current(brand.id);
        }
        if (!cancelled) setMissing(true);
      } catch (error) {
        if (!cancelled) setProblem(error);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [client, platformId]);
  if (problem) return <ErrorState error={problem} />;
  if (missing) return <EmptyState title={t('platform.notFound')}>{t('platform.notFoundBody')}</EmptyState>;
  return <LoadingState />;
}

function PlatformView({ brandId, platformId }: { brandId: string; platformId: string }) {
  const t = useT();
  const { locale } = useLocale();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'ingestion' ? 'ingestion' : 'instruments';
  const brands = useQuery(PlanBrandsDocument, { fetchPolicy: 'cache-first' });
  const brand = brands.data?.brands.find((b) => b.id === brandId);
  const { data, loading, error, refetch } = useQuery(PlatformsDocument, {
    variables: { brandId },
    fetchPolicy: 'cache-and-network',
    pollInterval: 5_000,
  });
  const platform = data?.platforms.find((p) => p.id === platformId);
  const timeZone = brand?.timeZone ?? 'UTC';

  const setTab = (next: string | null) =>
    setParams(
      (p) => {
        if (next === 'ingestion') p.set('tab', next);
        else p.delete('tab');
        return p;
      },
      { replace: true },
    );

  let body: React.ReactNode;
  if (!data && loading) body = <LoadingState />;
  else if (!data) body = <ErrorState title={t('platform.loadFailed')} error={error} onRetry={() => void refetch()} />;
  else if (!platform) body = <EmptyState title={t('platform.notFound')}>{t('platform.notFoundBody')}</EmptyState>;
  else
    body = (
      <Stack>
        <Group justify="space-between" align="flex-end">
          <Stack gap={4}>
            <Group gap="sm">
              <Title order={2}>{platform.name}</Title>
              <PlatformKindBadge kind={platform.kind} />
              <PlatformStatusBadge status={platform.status} testId="platform-status" />
            </Group>
            <Text size="sm" c="dimmed">
              {t('platform.server', { server: platform.server })}
              {platform.platformTime
                ? ` · ${t('platform.clock', { time: isolate(formatDateTime(platform.platformTime, locale, timeZone), locale) })}`
                : ''}
            </Text>
          </Stack>
        </Group>
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="instruments">{t('platform.tab.instruments')}</Tabs.Tab>
            <Tabs.Tab value="ingestion">{t('platform.tab.ingestion')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="instruments" pt="md">
            <InstrumentsPanel platformId={platform.id} timeZone={timeZone} />
          </Tabs.Panel>
          <Tabs.Panel value="ingestion" pt="md">
            <IngestionPanel platformId={platform.id} timeZone={timeZone} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    );

  return (
    <Stack>
      <Anchor component={Link} to={`/brands/${brandId}/platforms`} size="sm">
        {brand ? t('platform.back', { brand: brand.name }) : t('platform.backAll')}
      </Anchor>
      {body}
    </Stack>
  );
}
