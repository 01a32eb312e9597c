import { Avatar, Box, Button, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useT } from '../i18n/LocaleProvider';
import { textDirection } from '../i18n/locales';
import { contrastText, initials, safeHex } from '../theme/color';

export interface PreviewBrand {
  name: string;
  primary: string;
  accent: string;
  logoUrl: string | null;
  defaultLocale: string;
}

/**
 * The brand's portal header as traders will see it: logo (or initials), name, the primary colour as
 * background with readable text, an accent-coloured button, laid out in the default language's
 * direction. Half-typed colours keep the last valid look.
 */
export function BrandPreview({ brand }: { brand: PreviewBrand }) {
  const t = useT();
  const [valid, setValid] = useState({
    primary: safeHex(brand.primary, '#1c7ed6'),
    accent: safeHex(brand.accent, '#f59f00'),
  });
  useEffect(() => {
    setValid((last) => ({ primary: safeHex(brand.primary, last.primary), accent: safeHex(brand.accent, last.accent) }));
  }, [brand.primary, brand.accent]);
  const [brokenLogo, setBrokenLogo] = useState<string | null>(null);
  const name = brand.name.trim() || t('preview.untitled');
  const showLogo = brand.logoUrl && brand.logoUrl !== brokenLogo;
  const headerText = contrastText(valid.primary);

  return (
    <Paper
      withBorder
      radius="md"
      style={{ overflow: 'hidden' }}
      data-testid="portal-preview"
      aria-label={t('preview.title')}
    >
      <Box dir={textDirection(brand.defaultLocale)} lang={brand.defaultLocale}>
        <Box
          component="header"
          px="md"
          py="sm"
          data-testid="portal-preview-header"
          style={{ backgroundColor: valid.primary, color: headerText }}
        >
          <Group justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap" miw={0}>
              {showLogo ? (
                <img
                  src={brand.logoUrl!}
                  alt={t('preview.logoAlt', { name })}
                  onError={() => setBrokenLogo(brand.logoUrl)}
                  style={{ height: 32, maxWidth: 120, objectFit: 'contain' }}
                />
              ) : (
                <Avatar radius="sm" size={32} style={{ background: headerText, color: valid.primary }}>
                  {initials(name)}
                </Avatar>
              )}
              <Text fw={700} truncate data-testid="portal-preview-name">
                {name}
              </Text>
            </Group>
            <Button size="xs" color={valid.accent} autoContrast tabIndex={-1} data-testid="portal-preview-button">
              {t('preview.signIn')}
            </Button>
          </Group>
        </Box>
        <Stack gap={6} p="md" aria-hidden>
          <Skeleton height={12} width="70%" animate={false} />
          <Skeleton height={8} width="90%" animate={false} />
          <Skeleton height={8} width="55%" animate={false} />
        </Stack>
      </Box>
    </Paper>
  );
}
