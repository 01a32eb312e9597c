import { brandPalette, buildBrandTheme } from './brand-theme';
import { contrastText, parseHex, relativeLuminance } from './color';

describe('buildBrandTheme', () => {
  it('makes the brand colour Mantine’s primary colour at the shade filled components use', () => {
    const theme = buildBrandTheme({ primary: '#1C5BD6', accent: '#f59f00' });
    expect(theme.primaryColor).toBe('brand');
    expect(theme.primaryShade).toEqual({ light: 6, dark: 6 });
    expect(theme.colors?.brand).toHaveLength(10);
    expect(theme.colors?.brand?.[6]).toBe('#1c5bd6');
    expect(theme.colors?.accent?.[6]).toBe('#f59f00');
    expect(theme.autoContrast).toBe(true);
  });

  it('lets Mantine pick button text colours the same way as contrastText', () => {
    const theme = buildBrandTheme({ primary: '#1c5bd6', accent: '#f59f00' });
    const threshold = theme.luminanceThreshold!;
    // #f59f00 (luminance ≈ 0.44) gets dark text, #1c5bd6 (≈ 0.12) light text, as contrastText says.
    expect(relativeLuminance(parseHex('#f59f00')!)).toBeGreaterThan(threshold);
    expect(relativeLuminance(parseHex('#1c5bd6')!)).toBeLessThan(threshold);
    for (const hex of ['#777777', '#c2255c', '#e8590c', '#2f9e44', '#fcc419']) {
      const light = relativeLuminance(parseHex(hex)!) > threshold;
      expect(contrastText(hex)).toBe(light ? '#000000' : '#ffffff');
    }
  });

  it('gives readable text on each brand colour', () => {
    expect(brandPalette({ primary: '#0b7a53', accent: '#f59f00' })).toEqual({
      primary: '#0b7a53',
      accent: '#f59f00',
      onPrimary: '#ffffff',
      onAccent: '#000000',
    });
  });

  it('survives a malformed colour from the server', () => {
    const theme = buildBrandTheme({ primary: 'teal', accent: '#f59f00' });
    expect(theme.colors?.brand?.[6]).toBe('#1c7ed6');
  });
});
