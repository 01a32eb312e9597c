/**
 * Colour arithmetic for run-time brand theming: a brand gives two hex colours, Mantine wants
 * 10-shade tuples and readable text on top of them. Pure functions, no DOM.
 */

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

interface Hsl {
  h: number;
  s: number;
  l: number;
}

/** The index of the brand's own colour in the tuple (Mantine's default `primaryShade`). */
export const BASE_SHADE = 6;

export type ColorTuple = readonly [string, string, string, string, string, string, string, string, string, string];

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

export function isHexColor(value: string | null | undefined): value is string {
  return typeof value === 'string' && HEX.test(value.trim());
}

/** `#1c5bd6`, `1c5bd6` or `#15d` → { r, g, b } (0–255); anything else → null. */
export function parseHex(value: string): Rgb | null {
  const match = HEX.exec(value.trim());
  if (!match) return null;
  let digits = match[1]!;
  if (digits.length === 3) digits = [...digits].map((d) => d + d).join('');
  const n = Number.parseInt(digits, 16);
  return { r: (n >> 16) & 0xff, g: (n >> 8) & 0xff, b: n & 0xff };
}

const channel = (v: number) =>
  Math.max(0, Math.min(255, Math.round(v)))
    .toString(16)
    .padStart(2, '0');

export function toHex({ r, g, b }: Rgb): string {
  return `#${channel(r)}${channel(g)}${channel(b)}`;
}

/** A valid hex colour normalised to `#rrggbb`, or the fallback (e.g. while someone is still typing). */
export function safeHex(value: string | null | undefined, fallback: string): string {
  const rgb = value ? parseHex(value) : null;
  return rgb ? toHex(rgb) : fallback;
}

/** WCAG 2.x relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance({ r, g, b }: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio between two colours, 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export const DARK_TEXT = '#000000';
export const LIGHT_TEXT = '#ffffff';

/** Black or white, whichever reads better on the given background. */
export function contrastText(background: string): string {
  const bg = parseHex(background);
  if (!bg) return DARK_TEXT;
  const dark = contrastRatio(bg, parseHex(DARK_TEXT)!);
  const light = contrastRatio(bg, parseHex(LIGHT_TEXT)!);
  return light >= dark ? LIGHT_TEXT : DARK_TEXT;
}

function rgbToHsl({ r, g, b }: Rgb): Hsl {
  const [rn, gn, bn] = [r / 255, g / 255, b / 255];
  const max = Math.max(rn, gn, bn);
  const min = Math.min(rn, gn, bn);
  const l = (max + min) / 2;
  if (max === min) return { h: 0, s: 0, l };
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  let h: number;
  if (max === rn) h = (gn - bn) / d + (gn < bn ? 6 : 0);
  else if (max === gn) h = (bn - rn) / d + 2;
  else h = (rn - gn) / d + 4;
  return { h: h / 6, s, l };
}

function hslToRgb({ h, s, l }: Hsl): Rgb {
  if (s === 0) return { r: l * 255, g: l * 255, b: l * 255 };
  const hue = (p: number, q: number, t: number) => {
    let x = t;
    if (x < 0) x += 1;
    if (x > 1) x -= 1;
    if (x < 1 / 6) return p + (q - p) * 6 * x;
    if (x < 1 / 2) return q;
    if (x < 2 / 3) return p + (q - p) * (2 / 3 - x) * 6;
    return p;
  };
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  return { r: hue(p, q, h + 1 / 3) * 255, g: hue(p, q, h) * 255, b: hue(p, q, h - 1 / 3) * 255 };
}

const lerp = (a: number, b: number, t: number) => a + (b - a) * t;

/**
 * Ten shades from lightest (0) to darkest (9) around a brand colour, which sits unchanged at
 * `BASE_SHADE`: lighter shades raise HSL lightness towards a near-white tint, darker ones lower it,
 * hue and saturation stay. An invalid colour throws (callers validate or use `safeHex`).
 */
export function colorTuple(hex: string): ColorTuple {
  const rgb = parseHex(hex);
  if (!rgb) throw new Error(`not a hex colour: ${hex}`);
  const base = rgbToHsl(rgb);
  const lightest = Math.max(0.96, base.l);
  const darkest = base.l * 0.4;
  const shades: string[] = [];
  for (let i = 0; i < 10; i++) {
    if (i === BASE_SHADE) {
      shades.push(toHex(rgb));
    } else if (i < BASE_SHADE) {
      shades.push(toHex(hslToRgb({ ...base, l: lerp(lightest, base.l, i / BASE_SHADE) })));
    } else {
      shades.push(toHex(hslToRgb({ ...base, l: lerp(base.l, darkest, (i - BASE_SHADE) / (9 - BASE_SHADE)) })));
    }
  }
  return shades as unknown as ColorTuple;
}

/** Up to two initials of a brand name, for a logo placeholder. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[1]!].map((w) => [...w][0]) : [...(words[0] ?? '')].slice(0, 2);
  return letters.join('').toLocaleUpperCase();
}
