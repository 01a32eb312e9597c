import { Avatar, Box, Container, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { AccountNav } from '../account/AccountNav';
import { useTo } from '../account/layout';
import type { BrandThemeFieldsFragment } from '../gql/graphql';
import type { AppLocale } from '../i18n/locales';
import { useT } from '../i18n/useT';
import { brandPalette } from '../theme/brand-theme';
import { initials } from '../theme/color';
import { LanguageSwitcher } from './LanguageSwitcher';

export function BrandHeader({
  brand,
  locales,
  locale,
  onLocaleChange,
}: {
  brand: BrandThemeFieldsFragment;
  locales: AppLocale[];
  locale: AppLocale;
  onLocaleChange(locale: AppLocale): void;
}) {
  const t = useT();
  const to = useTo();
  const palette = brandPalette(brand.colors);
  const [brokenLogo, setBrokenLogo] = useState<string | null>(null);
  const showLogo = brand.logoUrl && brand.logoUrl !== brokenLogo;

  return (
    <Box
      component="header"
      data-testid="brand-header"
      style={{ backgroundColor: palette.primary, color: palette.onPrimary }}
    >
      <Container size="lg">
        <Group h={64} justify="space-between" wrap="nowrap">
          <Group
            gap="sm"
            wrap="nowrap"
            miw={0}
            renderRoot={(props) => <Link to={to('/')} {...props} />}
            style={{ color: 'inherit', textDecoration: 'none' }}
          >
            {showLogo ? (
              <img
                src={brand.logoUrl!}
                alt={t('portal.logoAlt', { brand: brand.name })}
                data-testid="brand-logo"
                onError={() => setBrokenLogo(brand.logoUrl ?? null)}
                style={{ height: 36, maxWidth: 160, objectFit: 'contain', display: 'block' }}
              />
            ) : (
              <Avatar
                radius="sm"
                size={36}
                aria-hidden
                data-testid="brand-initials"
                style={{ background: palette.onPrimary, color: palette.primary }}
              >
                {initials(brand.name)}
              </Avatar>
            )}
            <Text component="span" fw={700} size="lg" truncate data-testid="brand-name">
              {brand.name}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitcher locales={locales} value={locale} onChange={onLocaleChange} />
            <AccountNav onPrimary={palette.onPrimary} />
          </Group>
        </Group>
      </Container>
    </Box>
  );
}
