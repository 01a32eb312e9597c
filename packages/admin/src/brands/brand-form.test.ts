import type { BrandFieldsFragment } from '../gql/graphql';
import type { Translate } from '../i18n/LocaleProvider';
import {
  type BrandFormValues,
  brandSchema,
  brandToForm,
  defaultAfterLocalesChange,
  slugify,
  toCreateInput,
  toUpdateInput,
} from './brand-form';

const t: Translate = (id) => id;

const atlas: BrandFieldsFragment = {
  id: 'b1',
  name: 'Atlas Funded',
  slug: 'atlas',
  logoUrl: null,
  colors: { primary: '#1c5bd6', accent: '#f59f00' },
  locales: ['en', 'es', 'ar'],
  defaultLocale: 'en',
  currency: 'USD',
  timeZone: 'Europe/Prague',
  hosts: ['atlas.localhost'],
  status: 'ACTIVE',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('brand form conversions', () => {
  it('round-trips a brand into form values and a create input', () => {
    const values = brandToForm(atlas);
    expect(values.logoUrl).toBe('');
    expect(toCreateInput(values)).toEqual({
      name: 'Atlas Funded',
      slug: 'atlas',
      colors: { primary: '#1c5bd6', accent: '#f59f00' },
      locales: ['en', 'es', 'ar'],
      defaultLocale: 'en',
      currency: 'USD',
      timeZone: 'Europe/Prague',
      hosts: ['atlas.localhost'],
      logoUrl: null,
    });
  });

  it('cleans host names and the currency', () => {
    const values: BrandFormValues = { ...brandToForm(atlas), hosts: [' Atlas.Example.com ', 'atlas.example.com', ''] };
    values.currency = 'eur';
    expect(toCreateInput(values)).toMatchObject({ hosts: ['atlas.example.com'], currency: 'EUR' });
  });

  it('sends only the fields that changed, colours as a pair', () => {
    const initial = brandToForm(atlas);
    expect(toUpdateInput(initial, initial)).toEqual({});
    const edited: BrandFormValues = {
      ...initial,
      name: 'Atlas Prime ',
      colors: { ...initial.colors, primary: '#e03131' },
      hosts: ['atlas.localhost', 'atlas.example.com'],
    };
    expect(toUpdateInput(edited, initial)).toEqual({
      name: 'Atlas Prime',
      colors: { primary: '#e03131', accent: '#f59f00' },
      hosts: ['atlas.localhost', 'atlas.example.com'],
    });
  });

  it('clears the logo with null', () => {
    const initial = { ...brandToForm(atlas), logoUrl: '/uploads/a.png' };
    expect(toUpdateInput({ ...initial, logoUrl: ' ' }, initial)).toEqual({ logoUrl: null });
  });

  it('keeps the default language while it is offered', () => {
    expect(defaultAfterLocalesChange(['en', 'ar'], 'ar')).toBe('ar');
    expect(defaultAfterLocalesChange(['es', 'en'], 'ar')).toBe('es');
    expect(defaultAfterLocalesChange([], 'ar')).toBe('');
  });

  it('suggests a slug from the name', () => {
    expect(slugify('Atlas Funded Ltd.')).toBe('atlas-funded-ltd');
    expect(slugify('  Zürich Capital ')).toBe('zurich-capital');
    expect(slugify('صحارى')).toBe('');
  });
});

describe('brand form validation', () => {
  const schema = brandSchema(t);
  const issues = (values: BrandFormValues) => {
    const result = schema.safeParse(values);
    return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
  };

  it('accepts a complete brand', () => {
    expect(issues(brandToForm(atlas))).toEqual({});
  });

  it('names the field of each problem', () => {
    const values: BrandFormValues = {
      ...brandToForm(atlas),
      name: ' ',
      slug: 'Not A Slug',
      colors: { primary: 'blue', accent: '#f59f00' },
      currency: 'us',
      locales: [],
    };
    expect(issues(values)).toEqual({
      name: 'validation.required',
      slug: 'validation.slug',
      'colors.primary': 'validation.hex',
      currency: 'validation.currency',
      locales: 'validation.locales',
      defaultLocale: 'validation.defaultLocale',
    });
  });

  it('requires the default language to be one of the languages', () => {
    expect(issues({ ...brandToForm(atlas), locales: ['es'], defaultLocale: 'en' })).toEqual({
      defaultLocale: 'validation.defaultLocale',
    });
  });

  it('leaves time zone validity to the API', () => {
    expect(issues({ ...brandToForm(atlas), timeZone: 'Mars/Olympus_Mons' })).toEqual({});
  });
});
