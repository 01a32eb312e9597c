import { startTestApi, type TestApi } from '../test/harness';
import { staffWith } from '../test/staff';

let t: TestApi;
let token: string;
let atlas: string;
beforeAll(async () => {
  t = await startTestApi();
  token = await t.signIn();
  atlas = (await t.sql<{ id: string }>("SELECT id FROM brand WHERE slug = 'atlas'"))[0]!.id;
});
afterAll(() => t.stop());

const TRAIL = `query($f: AuditFilter!) { auditTrail(filter: $f) { actor actorKind operation targetType targetId changes { field before after } requestId } }`;
type Entry = {
  actor: string;
  operation: string;
  targetId: string;
  changes: { field: string; before: string; after: string }[];
  requestId: string;
};

describe('the audit trail', () => {
  it('records a brand edit with who, what and the fields before and after, in the same transaction', async () => {
    await t.gql(
      'mutation($id: ID!) { updateBrand(id: $id, input: { name: "Atlas Audited", colors: { primary: "#112233", accent: "#f59f00" } }) { name } }',
      { id: atlas },
      token,
    );
    const { data } = await t.gql<{ auditTrail: Entry[] }>(
      TRAIL,
      { f: { brandId: atlas, operation: 'updateBrand' } },
      token,
    );
    const [entry] = data!.auditTrail;
    expect(entry).toMatchObject({ actor: 'owner@brokerdeck.test', operation: 'updateBrand', targetId: atlas });
    expect(entry!.changes).toEqual(
      expect.arrayContaining([
        { field: 'name', before: '"Atlas Funded"', after: '"Atlas Audited"' },
        // jsonb keeps object keys in its own order (shorter keys first).
        {
          field: 'colors',
          before: '{"accent":"#f59f00","primary":"#1c5bd6"}',
          after: '{"accent":"#f59f00","primary":"#112233"}',
        },
      ]),
    );
    expect(entry!.requestId).toBeTruthy();
  });

  it('writes nothing for a change that was refused', async () => {
    const before = await t.sql('SELECT count(*)::int AS n FROM audit_entry');
    const refused = await t.gql(
      'mutation($id: ID!) { updateBrand(id: $id, input: { slug: "sahara" }) { slug } }',
      { id: atlas },
      token,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await t.sql('SELECT count(*)::int AS n FROM audit_entry')).toEqual(before);
  });

  it('records plan reorders with the order before and after', async () => {
    const { data } = await t.gql<{ planCatalogue: { revision: number; plans: { id: string }[] } }>(
      'query($b: ID!) { planCatalogue(brandId: $b) { revision plans { id } } }',
      { b: atlas },
      token,
    );
    const order = data!.planCatalogue.plans.map((p) => p.id).reverse();
    await t.gql(
      'mutation($b: ID!, $p: [ID!]!, $r: Int!) { reorderPlans(brandId: $b, planIds: $p, revision: $r) { revision } }',
      { b: atlas, p: order, r: data!.planCatalogue.revision },
      token,
    );
    const trail = await t.gql<{ auditTrail: Entry[] }>(
      TRAIL,
      { f: { brandId: atlas, operation: 'reorderPlans' } },
      token,
    );
    expect(trail.data!.auditTrail[0]!.changes.find((c) => c.field === 'order')).toEqual({
      field: 'order',
      before: JSON.stringify([...order].reverse()),
      after: JSON.stringify(order),
    });
  });

  it('exports CSV, is readable by COMPLIANCE and not by MARKETING', async () => {
    const compliance = await staffWith(t, 'compliance@brokerdeck.test', [{ brandId: atlas, role: 'COMPLIANCE' }]);
    const csv = await t.gql<{ auditTrailCsv: string }>(
      'query($f: AuditFilter!) { auditTrailCsv(filter: $f) }',
      { f: { brandId: atlas } },
      compliance,
    );
    expect(csv.data!.auditTrailCsv.split('\r\n')[0]).toBe(
      '"at","actor","actor kind","operation","target type","target id","changes","request id","ip"',
    );
    expect(csv.data!.auditTrailCsv).toContain('"updateBrand"');
    const marketing = await staffWith(t, 'marketing@brokerdeck.test', [{ brandId: atlas, role: 'MARKETING' }]);
    expect((await t.gql(TRAIL, { f: { brandId: atlas } }, marketing)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('shows owners the staff and security trail outside any brand: sign-ins and failed attempts', async () => {
    await t.gql('mutation { signIn(input: { email: "owner@brokerdeck.test", password: "wrong-password" }) { token } }');
    const STAFF = 'query($f: StaffAuditFilter!) { staffAuditTrail(filter: $f) { actor actorKind operation } }';
    const { data } = await t.gql<{ staffAuditTrail: { actor: string | null; operation: string }[] }>(
      STAFF,
      { f: {} },
      token,
    );
    const operations = data!.staffAuditTrail.map((e) => e.operation);
    expect(operations).toEqual(expect.arrayContaining(['signIn', 'signInFailed']));
    // No brand's entries leak into it, and only owners may read it.
    expect(operations).not.toContain('updateBrand');
    const admin = await staffWith(t, 'audit-admin@staff.test', [{ brandId: atlas, role: 'ADMIN' }]);
    expect((await t.gql(STAFF, { f: {} }, admin)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const csv = await t.gql<{ staffAuditTrailCsv: string }>(
      'query($f: StaffAuditFilter!) { staffAuditTrailCsv(filter: $f) }',
      { f: { operation: 'signInFailed' } },
      token,
    );
    expect(csv.data!.staffAuditTrailCsv).toContain('"signInFailed"');
    expect(csv.data!.staffAuditTrailCsv).not.toContain('"signIn",');
  });

  it('is append-only in the database itself: UPDATE, DELETE and TRUNCATE are refused, even for the superuser', async () => {
    await expect(t.sql("UPDATE audit_entry SET operation = 'forged'")).rejects.toThrow(/append-only/);
    await expect(t.sql('DELETE FROM audit_entry')).rejects.toThrow(/append-only/);
    await expect(t.sql('TRUNCATE audit_entry')).rejects.toThrow(/append-only/);
    expect((await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_entry'))[0]!.n).toBeGreaterThan(0);
  });
});
