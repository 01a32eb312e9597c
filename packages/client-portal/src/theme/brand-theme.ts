import type { MantineThemeOverride } from '@mantine/core';
import { BASE_SHADE, colorTuple, contrastText, safeHex } from './color';

export interface BrandColors {
  primary: string;
  accent: string;
}

const FALLBACK = { primary: '#1c7ed6', accent: '#f59f00' };

/** The brand's colours, normalised (`#rrggbb`), with the text colour that reads on each. */
export function brandPalette(colors: BrandColors) {
  const primary = safeHex(colors.primary, FALLBACK.primary);
  const accent = safeHex(colors.accent, FALLBACK.accent);
  return { primary, accent, onPrimary: contrastText(primary), onAccent: contrastText(accent) };
}

/**
 * The Mantine theme for a brand: `brand` and `accent` colour tuples built from its hex colours, the
 * brand's own colour as the shade Mantine uses for filled components, and automatic text contrast.
 * Everything brand-specific comes from the API; there is no per-brand code.
 */
export function buildBrandTheme(colors: BrandColors): MantineThemeOverride {
  const palette = brandPalette(colors);
  return {
    colors: { brand: colorTuple(palette.primary), accent: colorTuple(palette.accent) },
    primaryColor: 'brand',
    primaryShade: { light: BASE_SHADE as 6, dark: BASE_SHADE as 6 },
    autoContrast: true,
    // Where black and white text have equal WCAG contrast: the same choice as `contrastText`.
    luminanceThreshold: 0.179,
    defaultRadius: 'md',
  };
}
