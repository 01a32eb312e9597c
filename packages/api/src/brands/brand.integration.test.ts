import { nextMessages, startTestApi, type TestApi } from '../test/harness';

const BRAND_FIELDS =
  'id name slug logoUrl colors { primary accent } locales defaultLocale currency timeZone hosts status';
const CREATE = `mutation Create($input: CreateBrandInput!) { createBrand(input: $input) { ${BRAND_FIELDS} } }`;
const UPDATE = `mutation Update($id: ID!, $input: UpdateBrandInput!) { updateBrand(id: $id, input: $input) { ${BRAND_FIELDS} } }`;
const THEME =
  'query Theme($slug: String, $host: String) { brandTheme(slug: $slug, host: $host) { name slug colors { primary } defaultLocale } }';

const validBrand = {
  name: 'Nordic Prop',
  slug: 'nordic',
  colors: { primary: '#123456', accent: '#abcdef' },
  locales: ['en', 'es'],
  defaultLocale: 'en',
  currency: 'EUR',
  timeZone: 'Europe/Oslo',
  hosts: ['nordic.example.com'],
};

let t: TestApi;
let token: string;
beforeAll(async () => {
  t = await startTestApi();
  token = await t.signIn();
});
afterAll(() => t.stop());

const brandRows = async () => await t.sql<{ slug: string; name: string }>('SELECT slug, name FROM brand ORDER BY slug');

describe('brands through the GraphQL API', () => {
  it('lists the seeded demo brands to a signed-in owner', async () => {
    const result = await t.gql<{ brands: { slug: string; currency: string; timeZone: string }[] }>(
      '{ brands { slug currency timeZone } }',
      {},
      token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.brands.map((b) => b.slug)).toEqual(['atlas', 'sahara']);
    expect(new Set(result.data?.brands.map((b) => b.timeZone)).size).toBe(2);
  });

  it('refuses anonymous callers with UNAUTHENTICATED and leaves the data alone', async () => {
    const list = await t.gql('{ brands { slug } }');
    expect(list.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const create = await t.gql(CREATE, { input: validBrand });
    expect(create.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await brandRows()).map((b) => b.slug)).toEqual(['atlas', 'sahara']);
  });

  it('creates, edits, archives and restores a brand; the portal theme follows', async () => {
    const created = await t.gql<{ createBrand: { id: string; hosts: string[] } }>(CREATE, { input: validBrand }, token);
    expect(created.errors).toBeUndefined();
    const id = created.data!.createBrand.id;
    expect(created.data!.createBrand.hosts).toEqual(['nordic.example.com']);

    const updated = await t.gql<{ updateBrand: { name: string; colors: { primary: string } } }>(
      UPDATE,
      { id, input: { name: 'Nordic Funded', colors: { primary: '#ff0000', accent: '#00ff00' } } },
      token,
    );
    expect(updated.data?.updateBrand).toMatchObject({ name: 'Nordic Funded', colors: { primary: '#ff0000' } });

    const byHost = await t.gql<{ brandTheme: { name: string; colors: { primary: string } } }>(THEME, {
      host: 'NORDIC.example.com',
    });
    expect(byHost.data?.brandTheme).toMatchObject({ name: 'Nordic Funded', colors: { primary: '#ff0000' } });

    await t.gql('mutation($id: ID!) { archiveBrand(id: $id) { status } }', { id }, token);
    const hidden = await t.gql(THEME, { slug: 'nordic' });
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const active = await t.gql<{ brands: { slug: string }[] }>('{ brands { slug } }', {}, token);
    expect(active.data?.brands.map((b) => b.slug)).not.toContain('nordic');
    const all = await t.gql<{ brands: { slug: string }[] }>('{ brands(includeArchived: true) { slug } }', {}, token);
    expect(all.data?.brands.map((b) => b.slug)).toContain('nordic');

    await t.gql('mutation($id: ID!) { restoreBrand(id: $id) { status } }', { id }, token);
    expect((await t.gql(THEME, { slug: 'nordic' })).errors).toBeUndefined();
  });

  it.each([
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, ['input', 'timeZone'], 'BAD_USER_INPUT'],
    ['an unsupported locale', { locales: ['en', 'xx'] }, ['input', 'locales'], 'BAD_USER_INPUT'],
    ['a default locale outside the languages', { defaultLocale: 'ar' }, ['input', 'defaultLocale'], 'BAD_USER_INPUT'],
    ['an unknown currency', { currency: 'ABC' }, ['input', 'currency'], 'BAD_USER_INPUT'],
    [
      'a colour that is not hex',
      { colors: { primary: 'red', accent: '#000000' } },
      ['input', 'colors', 'primary'],
      'BAD_USER_INPUT',
    ],
    ['a duplicate slug', { slug: 'atlas' }, ['input', 'slug'], 'CONFLICT'],
    ['a host name of another brand', { hosts: ['atlas.localhost'] }, ['input', 'hosts'], 'CONFLICT'],
  ])('rejects %s with a typed error at the field and saves nothing', async (_what, change, path, code) => {
    const before = await brandRows();
    const result = await t.gql(CREATE, { input: { ...validBrand, slug: 'fresh-brand', hosts: [], ...change } }, token);
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    expect(result.errors?.[0]?.extensions?.fields?.map((f) => f.path)).toContainEqual(path);
    expect(await brandRows()).toEqual(before);
  });

  it('refuses an edit to a duplicate slug and keeps the brand as it was', async () => {
    const sahara = (await t.sql<{ id: string }>("SELECT id FROM brand WHERE slug = 'sahara'"))[0]!;
    const result = await t.gql(UPDATE, { id: sahara.id, input: { slug: 'atlas', name: 'Renamed' } }, token);
    expect(result.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await t.sql('SELECT name FROM brand WHERE id = $1', [sahara.id])).toEqual([{ name: 'Sahara Markets' }]);
  });

  it('answers NOT_FOUND for a brand id that does not exist', async () => {
    const result = await t.gql(
      'query($id: ID!) { brand(id: $id) { slug } }',
      { id: '00000000-0000-4000-8000-000000000000' },
      token,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('stores an uploaded logo and serves it inert', async () => {
    const atlas = (await t.sql<{ id: string }>("SELECT id FROM brand WHERE slug = 'atlas'"))[0]!;
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const upload = await t.gql<{ uploadBrandLogo: { logoUrl: string } }>(
      'mutation($id: ID!, $file: LogoUploadInput!) { uploadBrandLogo(id: $id, file: $file) { logoUrl } }',
      { id: atlas.id, file: { contentType: 'image/png', base64: png.toString('base64') } },
      token,
    );
    expect(upload.errors).toBeUndefined();
    const logoUrl = upload.data!.uploadBrandLogo.logoUrl;
    expect(logoUrl).toMatch(/^\/uploads\/brand-.*\.png$/);
    const served = await fetch(`${t.url}${logoUrl}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(png);
    expect(served.headers.get('content-security-policy')).toContain('sandbox');

    const fake = await t.gql(
      'mutation($id: ID!, $file: LogoUploadInput!) { uploadBrandLogo(id: $id, file: $file) { logoUrl } }',
      { id: atlas.id, file: { contentType: 'image/png', base64: Buffer.from('not an image').toString('base64') } },
      token,
    );
    expect(fake.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('pushes a theme change to an open portal over WebSocket', async () => {
    const client = t.ws();
    const subscription = nextMessages<{ brandThemeChanged: { name: string; colors: { primary: string } } }>(
      client,
      'subscription($slug: String!) { brandThemeChanged(slug: $slug) { name colors { primary } } }',
      { slug: 'sahara' },
      1,
    );
    // Give the subscription a moment to register before the change is published.
    await new Promise((r) => setTimeout(r, 200));
    const sahara = (await t.sql<{ id: string }>("SELECT id FROM brand WHERE slug = 'sahara'"))[0]!;
    await t.gql(
      UPDATE,
      { id: sahara.id, input: { name: 'Sahara Live', colors: { primary: '#222222', accent: '#333333' } } },
      token,
    );
    const [message] = await subscription.done;
    expect(message?.data?.brandThemeChanged).toEqual({ name: 'Sahara Live', colors: { primary: '#222222' } });
  });
});
