import { brandLookup } from './lookup';

describe('brandLookup', () => {
  it('asks by host name', () => {
    expect(brandLookup(new URL('https://portal.atlas-funded.com/dashboard'))).toEqual({
      host: 'portal.atlas-funded.com',
    });
    expect(brandLookup(new URL('http://atlas.localhost:4000/'))).toEqual({ host: 'atlas.localhost' });
  });

  it('asks by slug when ?brand= is given', () => {
    expect(brandLookup(new URL('http://localhost:4000/?brand=sahara'))).toEqual({ slug: 'sahara' });
    expect(brandLookup(new URL('http://localhost:4000/?brand=%20Atlas%20'))).toEqual({ slug: 'atlas' });
    expect(brandLookup(new URL('http://localhost:4000/?brand='))).toEqual({ host: 'localhost' });
  });
});
