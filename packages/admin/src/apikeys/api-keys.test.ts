import { navFor } from '../layout/nav';
import { canManageKeys, curlExample, emptyKeyForm, keySchema, managesKeysSomewhere, toCreateInput } from './api-keys';

const t = ((id: string, values?: Record<string, unknown>) =>
  values ? `${id} ${JSON.stringify(values)}` : id) as never;
const ATLAS = 'a0000000-0000-4000-8000-000000000001';
const SAHARA = 'a0000000-0000-4000-8000-000000000002';

describe('who manages API keys', () => {
  it('is OWNER or ADMIN of that brand, or of every brand', () => {
    expect(canManageKeys([{ brandId: null, role: 'OWNER' }], SAHARA)).toBe(true);
    expect(canManageKeys([{ brandId: ATLAS, role: 'ADMIN' }], ATLAS)).toBe(true);
    expect(canManageKeys([{ brandId: ATLAS, role: 'ADMIN' }], SAHARA)).toBe(false);
    expect(
      canManageKeys(
        [
          { brandId: ATLAS, role: 'READ_ONLY' },
          { brandId: SAHARA, role: 'ADMIN' },
        ],
        ATLAS,
      ),
    ).toBe(false);
    expect(canManageKeys([{ brandId: null, role: 'RISK_MANAGER' }], ATLAS)).toBe(false);
  });

  it('shows the navigation entry to owners and admins only', () => {
    const paths = (role: string) => navFor([{ role }]).map((item) => item.to);
    expect(paths('OWNER')).toContain('/api-keys');
    expect(paths('ADMIN')).toContain('/api-keys');
    for (const role of ['RISK_MANAGER', 'COMPLIANCE', 'MARKETING', 'SUPPORT', 'READ_ONLY']) {
      expect(paths(role)).not.toContain('/api-keys');
    }
    const entry = navFor([{ role: 'ADMIN' }]).find((item) => item.to === '/api-keys')!;
    expect(entry.matches?.('/brands/b1/api-keys')).toBe(true);
    expect(
      navFor([{ role: 'ADMIN' }])
        .find((item) => item.to === '/brands')
        ?.matches?.('/brands/b1/api-keys'),
    ).toBe(false);
  });

  it('decides whether the navigation shows the page', () => {
    expect(managesKeysSomewhere([{ brandId: ATLAS, role: 'ADMIN' }])).toBe(true);
    expect(
      managesKeysSomewhere([
        { brandId: ATLAS, role: 'MARKETING' },
        { brandId: null, role: 'READ_ONLY' },
      ]),
    ).toBe(false);
  });
});

describe('the create-key form', () => {
  it('needs a name, a scope and a whole rate within limits', () => {
    const schema = keySchema(t);
    const problems = schema.safeParse({ name: '  ', scopes: [], ratePerMinute: 0 });
    expect(problems.success).toBe(false);
    expect(problems.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['name', 'ratePerMinute', 'scopes']);
    expect(schema.safeParse({ name: 'CRM', scopes: ['accounts:read'], ratePerMinute: 2.5 }).success).toBe(false);
    expect(schema.safeParse({ name: 'CRM', scopes: ['accounts:write'], ratePerMinute: 60 }).success).toBe(false);
    expect(schema.safeParse({ ...emptyKeyForm(), name: 'CRM', scopes: ['plans:read'] }).success).toBe(true);
  });

  it('sends the scopes in the canonical order and the name trimmed', () => {
    expect(
      toCreateInput(ATLAS, { name: ' Partner CRM ', scopes: ['events:ingest', 'accounts:read'], ratePerMinute: 120 }),
    ).toEqual({ brandId: ATLAS, name: 'Partner CRM', scopes: ['accounts:read', 'events:ingest'], ratePerMinute: 120 });
  });

  it('offers a curl line that works as pasted', () => {
    expect(curlExample('http://localhost:4000', 'bdk_1234abcd_secret', ATLAS)).toBe(
      `curl -H "Authorization: Bearer bdk_1234abcd_secret" -H 'content-type: application/json' -d '{"query":"{ challengeAccounts(brandId: \\"${ATLAS}\\") { id status } }"}' http://localhost:4000/graphql`,
    );
  });
});
