import {
  Alert,
  Badge,
  Button,
  Card,
  Center,
  Grid,
  Group,
  List,
  Loader,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { Link, useLocation } from 'react-router';
import type { PublicCatalogueQuery } from '../gql/graphql';
import type { MessageId } from '../i18n/locales';
import { useT } from '../i18n/useT';
import { formatMoney, lowestPrice, portalLink } from './format';
import { useCatalogue } from './useCatalogue';

export type CatalogueEntry = PublicCatalogueQuery['publicCatalogue']['plans'][number];

/** The brand's challenges, in the order staff set, each with its sizes, prices and rules. */
export function Catalogue({ brandSlug, locale }: { brandSlug: string; locale: string }) {
  const t = useT();
  const { catalogue, loading, error, refetch } = useCatalogue(brandSlug, locale);

  return (
    <Stack gap="md" component="section" aria-labelledby="catalogue-title">
      <Stack gap={4}>
        <Title order={2} size="h3" id="catalogue-title">
          {t('portal.catalogue.title')}
        </Title>
        <Text c="dimmed">{t('portal.catalogue.subtitle')}</Text>
      </Stack>
      {!catalogue && loading && (
        <Center py="xl" role="status">
          <Loader size="sm" aria-label={t('portal.catalogue.loading')} />
        </Center>
      )}
      {!catalogue && error && (
        <Alert color="red" role="alert" title={t('portal.catalogue.loadFailed')}>
          <Button size="xs" variant="light" color="red" onClick={() => void refetch()}>
            {t('portal.retry')}
          </Button>
        </Alert>
      )}
      {catalogue && catalogue.plans.length === 0 && (
        <Text c="dimmed" data-testid="catalogue-empty">
          {t('portal.catalogue.empty')}
        </Text>
      )}
      {catalogue && catalogue.plans.length > 0 && (
        <Stack gap="lg" data-testid="catalogue" data-revision={catalogue.revision}>
          {catalogue.plans.map((plan) => (
            <PlanCard key={plan.planId} plan={plan} locale={locale} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function PlanCard({ plan, locale }: { plan: CatalogueEntry; locale: string }) {
  const t = useT();
  const { search } = useLocation();
  const cheapest = lowestPrice(plan.sizes);
  return (
    <Card withBorder padding="lg" radius="md" data-testid="catalogue-plan" data-plan-id={plan.planId}>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="sm" h="100%">
            <Group gap="xs" align="center">
              <Title order={3} size="h4" data-testid="catalogue-plan-name">
                {plan.name}
              </Title>
              <Badge variant="light" tt="none">
                {t(`portal.kind.${plan.kind}` as MessageId)}
              </Badge>
            </Group>
            {plan.description && <Text c="dimmed">{plan.description}</Text>}
            <SizeList plan={plan} locale={locale} />
            {cheapest && (
              <Text fw={600}>
                {t('portal.catalogue.from', { price: formatMoney(cheapest.price, cheapest.currency, locale) })}
              </Text>
            )}
            <Group mt="auto">
              <Button component={Link} to={portalLink(`/plans/${plan.planId}`, search)} variant="light">
                {t('portal.catalogue.view')}
              </Button>
            </Group>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <PhaseSummaries plan={plan} locale={locale} compact />
        </Grid.Col>
      </Grid>
    </Card>
  );
}

export function SizeList({ plan, locale }: { plan: CatalogueEntry; locale: string }) {
  const t = useT();
  return (
    <Group gap="xs" aria-label={t('portal.catalogue.sizes')} role="list">
      {plan.sizes.map((size) => (
        <Badge key={size.id} variant="default" size="lg" tt="none" role="listitem" fw={500}>
          {t('portal.catalogue.size', {
            balance: formatMoney(size.balance, size.currency, locale),
            price: formatMoney(size.price, size.currency, locale),
          })}
        </Badge>
      ))}
    </Group>
  );
}

export function PhaseSummaries({ plan, locale, compact }: { plan: CatalogueEntry; locale: string; compact?: boolean }) {
  const t = useT();
  return (
    <Stack gap="md">
      {plan.phases.map((phase, i) => (
        <Stack key={phase.phaseId} gap={6} data-testid="catalogue-phase">
          <Group gap="xs" wrap="nowrap">
            <ThemeIcon variant="light" radius="xl" size={compact ? 'sm' : 'md'} aria-hidden>
              <Text size="xs" fw={700}>
                {new Intl.NumberFormat(locale).format(i + 1)}
              </Text>
            </ThemeIcon>
            <Text fw={600} size={compact ? 'sm' : 'md'}>
              {t('portal.catalogue.phase', { number: i + 1, name: phase.name })}
            </Text>
          </Group>
          <List size={compact ? 'sm' : 'md'} spacing={4} ps="xl" data-testid="summary-lines">
            {phase.lines.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        </Stack>
      ))}
    </Stack>
  );
}
