import { Anchor, Badge, Box, Card, Center, Container, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import type { MessageId } from '../i18n/locales';
import { useT } from '../i18n/useT';
import { PhaseSummaries } from './Catalogue';
import { formatMoney, portalLink } from './format';
import { useCatalogue } from './useCatalogue';

/** `/plans/:planId`: one challenge in full — sizes and prices, and the rules of each phase. */
export function PlanPage({ brandSlug, brandName, locale }: { brandSlug: string; brandName: string; locale: string }) {
  const t = useT();
  const { planId } = useParams();
  const { search } = useLocation();
  const { catalogue, loading } = useCatalogue(brandSlug, locale);
  const plan = catalogue?.plans.find((p) => p.planId === planId);

  useEffect(() => {
    if (plan) document.title = `${plan.name} · ${brandName}`;
  }, [plan, brandName]);

  return (
    <Box component="main" py={{ base: 32, sm: 56 }}>
      <Container size="lg">
        <Stack gap="lg">
          <Anchor component={Link} to={portalLink('/', search)} size="sm">
            {t('portal.plan.back')}
          </Anchor>
          {!catalogue && loading && (
            <Center py="xl" role="status">
              <Loader size="sm" aria-label={t('portal.catalogue.loading')} />
            </Center>
          )}
          {catalogue && !plan && (
            <Stack gap="xs" data-testid="plan-not-found">
              <Title order={1}>{t('portal.plan.notFound')}</Title>
              <Text c="dimmed">{t('portal.plan.notFoundBody')}</Text>
            </Stack>
          )}
          {plan && (
            <Stack gap="lg" data-testid="plan-page">
              <Stack gap="xs">
                <Group gap="sm">
                  <Title order={1}>{plan.name}</Title>
                  <Badge variant="light" tt="none" size="lg">
                    {t(`portal.kind.${plan.kind}` as MessageId)}
                  </Badge>
                </Group>
                {plan.description && (
                  <Text size="lg" c="dimmed" maw={720}>
                    {plan.description}
                  </Text>
                )}
              </Stack>
              <Card withBorder radius="md" padding="lg">
                <Title order={2} size="h4" mb="sm">
                  {t('portal.plan.sizes')}
                </Title>
                <Table verticalSpacing="sm" data-testid="plan-sizes">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('portal.plan.balance')}</Table.Th>
                      <Table.Th>{t('portal.plan.price')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {plan.sizes.map((size) => (
                      <Table.Tr key={size.id}>
                        <Table.Td fw={600}>{formatMoney(size.balance, size.currency, locale)}</Table.Td>
                        <Table.Td>{formatMoney(size.price, size.currency, locale)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
              <Card withBorder radius="md" padding="lg">
                <Title order={2} size="h4" mb="xs">
                  {t('portal.plan.rules')}
                </Title>
                {plan.sizes[0] && (
                  <Text size="sm" c="dimmed" mb="md">
                    {t('portal.plan.rulesFor', {
                      balance: formatMoney(plan.sizes[0].balance, plan.sizes[0].currency, locale),
                    })}
                  </Text>
                )}
                <PhaseSummaries plan={plan} locale={locale} />
              </Card>
            </Stack>
          )}
        </Stack>
      </Container>
    </Box>
  );
}
