import { z } from 'zod';
import type { BrandFieldsFragment, CreateBrandInput, UpdateBrandInput } from '../gql/graphql';
import type { Translate } from '../i18n/LocaleProvider';

/** What the editor holds: every field as the inputs show it (empty strings, not nulls). */
export interface BrandFormValues {
  name: string;
  slug: string;
  colors: { primary: string; accent: string };
  locales: string[];
  defaultLocale: string;
  currency: string;
  timeZone: string;
  hosts: string[];
  logoUrl: string;
}

/** Form field names, which are also the API's input paths without the leading `input`. */
export const BRAND_FIELDS = [
  'name',
  'slug',
  'colors.primary',
  'colors.accent',
  'locales',
  'defaultLocale',
  'currency',
  'timeZone',
  'hosts',
  'logoUrl',
] as const;
export type BrandField = (typeof BRAND_FIELDS)[number];

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const HEX_PATTERN = /^#[0-9a-fA-F]{6}$/;

export function emptyBrand(): BrandFormValues {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return {
    name: '',
    slug: '',
    colors: { primary: '#1c7ed6', accent: '#f59f00' },
    locales: ['en'],
    defaultLocale: 'en',
    currency: 'USD',
    timeZone: zone && zone !== 'Etc/Unknown' ? zone : 'UTC',
    hosts: [],
    logoUrl: '',
  };
}

export function brandToForm(brand: BrandFieldsFragment): BrandFormValues {
  return {
    name: brand.name,
    slug: brand.slug,
    colors: { primary: brand.colors.primary, accent: brand.colors.accent },
    locales: [...brand.locales],
    defaultLocale: brand.defaultLocale,
    currency: brand.currency,
    timeZone: brand.timeZone,
    hosts: [...brand.hosts],
    logoUrl: brand.logoUrl ?? '',
  };
}

/** "Atlas Funded Ltd." → "atlas-funded-ltd", a slug suggestion while a new brand has none. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

/**
 * Client-side checks for quick feedback; the API still validates everything (time zone, currency,
 * uniqueness) and its field errors land on the same fields.
 */
export function brandSchema(t: Translate) {
  return z
    .object({
      name: z
        .string()
        .trim()
        .min(1, t('validation.required'))
        .max(80, t('validation.tooLong', { max: 80 })),
      slug: z.string().regex(SLUG_PATTERN, t('validation.slug')),
      colors: z.object({
        primary: z.string().regex(HEX_PATTERN, t('validation.hex')),
        accent: z.string().regex(HEX_PATTERN, t('validation.hex')),
      }),
      locales: z.array(z.string()).min(1, t('validation.locales')),
      defaultLocale: z.string().min(1, t('validation.required')),
      currency: z.string().regex(/^[A-Z]{3}$/, t('validation.currency')),
      timeZone: z.string().trim().min(1, t('validation.required')),
      hosts: z.array(z.string()),
      logoUrl: z.string().trim(),
    })
    .refine((v) => v.locales.includes(v.defaultLocale), {
      path: ['defaultLocale'],
      message: t('validation.defaultLocale'),
    });
}

const cleanHosts = (hosts: string[]) => [...new Set(hosts.map((h) => h.trim().toLowerCase()).filter(Boolean))];

export function toCreateInput(v: BrandFormValues): CreateBrandInput {
  return {
    name: v.name.trim(),
    slug: v.slug.trim(),
    colors: { primary: v.colors.primary, accent: v.colors.accent },
    locales: v.locales,
    defaultLocale: v.defaultLocale,
    currency: v.currency.trim().toUpperCase(),
    timeZone: v.timeZone.trim(),
    hosts: cleanHosts(v.hosts),
    logoUrl: v.logoUrl.trim() || null,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Only what changed since the form was loaded (the API changes only the given fields), so two
 * people editing different fields of one brand do not undo each other. Colours go as a pair.
 */
export function toUpdateInput(v: BrandFormValues, initial: BrandFormValues): UpdateBrandInput {
  const next = toCreateInput(v);
  const before = toCreateInput(initial);
  const input: UpdateBrandInput = {};
  if (next.name !== before.name) input.name = next.name;
  if (next.slug !== before.slug) input.slug = next.slug;
  if (!same(next.colors, before.colors)) input.colors = next.colors;
  if (!same(next.locales, before.locales)) input.locales = next.locales;
  if (next.defaultLocale !== before.defaultLocale) input.defaultLocale = next.defaultLocale;
  if (next.currency !== before.currency) input.currency = next.currency;
  if (next.timeZone !== before.timeZone) input.timeZone = next.timeZone;
  if (!same(next.hosts, before.hosts)) input.hosts = next.hosts;
  if (next.logoUrl !== before.logoUrl) input.logoUrl = next.logoUrl;
  return input;
}

/** After the languages change, keep the default if still offered, else take the first one. */
export function defaultAfterLocalesChange(locales: string[], current: string): string {
  return locales.includes(current) ? current : (locales[0] ?? '');
}
