import { Box, Button, Card, Container, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { Catalogue } from '../catalogue/Catalogue';
import { useEffect } from 'react';
import type { BrandThemeFieldsFragment } from '../gql/graphql';
import type { AppLocale } from '../i18n/locales';
import { useT } from '../i18n/useT';
import { ConnectionStatus } from './ConnectionStatus';

const STEPS = [
  { n: 1, title: 'portal.step1.title', body: 'portal.step1.body' },
  { n: 2, title: 'portal.step2.title', body: 'portal.step2.body' },
  { n: 3, title: 'portal.step3.title', body: 'portal.step3.body' },
] as const;

/** "Central European Time (Europe/Prague)" in the page's language. */
function zoneLabel(timeZone: string, locale: string): string {
  try {
    const name = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'longGeneric' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value;
    return name && name !== timeZone ? `${name} (${timeZone})` : timeZone;
  } catch {
    return timeZone;
  }
}

export function HomePage({ brand, locale }: { brand: BrandThemeFieldsFragment; locale: AppLocale }) {
  const t = useT();
  useEffect(() => {
    document.title = brand.name;
  }, [brand.name]);
  return (
    <Box component="main" py={{ base: 40, sm: 72 }}>
      <Container size="lg">
        <Stack gap="xl">
          <Stack gap="md" maw={680}>
            <Title order={1} data-testid="welcome">
              {t('portal.welcome', { brand: brand.name })}
            </Title>
            <Text size="lg" c="dimmed">
              {t('portal.hero')}
            </Text>
            <Group>
              <Button size="md">{t('portal.cta')}</Button>
            </Group>
          </Stack>
          <Stack gap="md">
            <Title order={2} size="h3">
              {t('portal.steps.title')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              {STEPS.map((step) => (
                <Card key={step.n} withBorder padding="lg">
                  <Stack gap="xs">
                    <ThemeIcon variant="light" radius="xl" size="lg">
                      {new Intl.NumberFormat(locale).format(step.n)}
                    </ThemeIcon>
                    <Text fw={600}>{t(step.title)}</Text>
                    <Text size="sm" c="dimmed">
                      {t(step.body)}
                    </Text>
                  </Stack>
                </Card>
              ))}
            </SimpleGrid>
          </Stack>
          <Catalogue brandSlug={brand.slug} locale={locale} />
        </Stack>
      </Container>
    </Box>
  );
}

/** The page foot: brand, the zone times are shown in, and whether live updates flow. */
export function PortalFooter({
  brand,
  locale,
  timeZone,
}: {
  brand: BrandThemeFieldsFragment;
  locale: AppLocale;
  /** A signed-in trader's own zone; the brand's otherwise. */
  timeZone?: string | null;
}) {
  const t = useT();
  return (
    <Box component="footer" py="md" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
      <Container size="lg">
        <Group justify="space-between" gap="xs">
          <Text size="xs" c="dimmed">
            {t('portal.footer', { year: String(new Date().getFullYear()), brand: brand.name })}
            {' · '}
            {t('portal.timeZone', { zone: zoneLabel(timeZone ?? brand.timeZone, locale) })}
          </Text>
          <ConnectionStatus />
        </Group>
      </Container>
    </Box>
  );
}
