import { SimulatedPlatform } from '../platform/simulator/simulator';
import { TEST_OWNER } from '../test/constants';
import { startTestApi, type TestApi } from '../test/harness';

/**
 * Behaviour-based assignment rules on live data: crafted deals go through ingestion into the
 * journal; the rules (stored per brand, validated, audited) are previewed and run, and the moved
 * accounts are audited, pushed to the platform and re-margined in the live books.
 */
let t: TestApi;
let token: string;
let platformId: string;
let brandId: string;
let sim: SimulatedPlatform;
// The platform's clock: the rules' windows end there, not at the wall clock.
const NOW = Date.parse('2030-03-01T00:00:00Z');
const DAY = 86_400_000;
const ids = new Map<string, string>();

const WINNER = '9200001'; // 60 closed trades in the last 30 days, 45 won (75 %), held an hour
const SCALPER = '9200002'; // 12 closed trades held 60 s each, half won
const STEADY = '9200003'; // 60 closed trades, 30 won (50 %), held an hour
const FEW = '9200004'; // 10 closed trades, all won: too few
const OLD = '9200005'; // 60 winning trades, 40–45 days ago: outside the window
const MANUAL = '9200006'; // wins like WINNER, but a person assigned its group
const LOGINS = [WINNER, SCALPER, STEADY, FEW, OLD, MANUAL];

beforeAll(async () => {
  t = await startTestApi();
  token = await t.signIn();
  // This file builds its own rule set: the demo's seeded rules (risk/seed.ts) are removed first.
  await t.sql('DELETE FROM risk_assignment_rule');
  const [row] = await t.sql<{ id: string; brand_id: string }>(
    "SELECT p.id, p.brand_id FROM platform_connection p JOIN brand b ON b.id = p.brand_id WHERE b.slug = 'atlas'",
  );
  platformId = row!.id;
  brandId = row!.brand_id;
  sim = new SimulatedPlatform({ seed: 12, start: new Date(NOW).toISOString() });
  t.api.platformRegistry.register(platformId, sim);
  for (const login of LOGINS) {
    await sim.createAccount({
      commandId: `create-${login}`,
      login,
      group: 'sim\\retail',
      leverage: 30,
      currency: 'USD',
      startingBalance: '10000.00',
    });
    const [a] = await t.sql<{ id: string }>(
      "INSERT INTO platform_account (id, platform_id, brand_id, login, currency) VALUES (gen_random_uuid(), $1, $2, $3, 'USD') RETURNING id",
      [platformId, brandId, login],
    );
    ids.set(login, a!.id);
  }
  const events: object[] = [];
  const trades = (login: string, n: number, wins: number, holdSeconds: number, daysAgo = 20) => {
    for (let i = 0; i < n; i++) {
      const opened = NOW - daysAgo * DAY + i * 3_600_000 * 2;
      const closed = opened + holdSeconds * 1000;
      const base = { login, symbol: 'EURUSD', volume: '0.10', commission: '0.00', swap: '0.00' };
      events.push(
        {
          ...base,
          eventId: `${login}-in-${i}`,
          at: new Date(opened).toISOString(),
          type: 'deal',
          id: `${login}-D${i}a`,
        },
        {
          ...base,
          eventId: `${login}-out-${i}`,
          at: new Date(closed).toISOString(),
          type: 'deal',
          id: `${login}-D${i}b`,
        },
      );
      const [open, close] = [
        events[events.length - 2] as Record<string, unknown>,
        events[events.length - 1] as Record<string, unknown>,
      ];
      Object.assign(open, { position: `${login}-P${i}`, entry: 'in', side: 'buy', price: '1.10000', profit: '0.00' });
      const won = i < wins;
      Object.assign(close, {
        position: `${login}-P${i}`,
        entry: 'out',
        side: 'sell',
        price: won ? '1.10200' : '1.09900',
        profit: won ? '20.00' : '-10.00',
      });
    }
  };
  trades(WINNER, 60, 45, 3600);
  trades(SCALPER, 12, 6, 60);
  trades(STEADY, 60, 30, 3600);
  trades(FEW, 10, 10, 3600);
  trades(OLD, 60, 60, 3600, 45);
  trades(MANUAL, 60, 50, 3600);
  await ingest(events);
});
afterAll(() => t.stop());

async function ingest(events: object[]) {
  for (let i = 0; i < events.length; i += 500) {
    const response = await fetch(`${t.url}/ingest/${platformId}`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-ingest-token-not-for-production', 'content-type': 'application/x-ndjson' },
      body: events
        .slice(i, i + 500)
        .map((e) => JSON.stringify(e))
        .join('\n'),
    });
    const body = (await response.json()) as { rejected: unknown[] };
    expect(body.rejected).toEqual([]);
  }
  await t.api.risk.settle();
}

const gql = async <T>(query: string, variables: Record<string, unknown> = {}, as = token) =>
  t.gql<T>(query, variables, as);

const RULE = 'id name metric windowDays comparison threshold minTrades targetRiskGroupId targetBook priority enabled';
const MOVE =
  'platformAccountId login ruleName metric value trades reason fromRiskGroupName toRiskGroupName fromBook toBook';

interface Move {
  platformAccountId: string;
  login: string;
  ruleName: string;
  metric: string;
  value: string;
  trades: number;
  reason: string;
  fromRiskGroupName: string;
  toRiskGroupName: string;
  fromBook: string;
  toBook: string;
}

let professional: string;
let scalpers: string;

describe('assignment rules', () => {
  it('refuses invalid rules with typed field errors and stores nothing', async () => {
    const bad = await gql('mutation($i: CreateAssignmentRuleInput!) { createAssignmentRule(input: $i) { id } }', {
      i: { brandId, name: ' ', metric: 'WIN_RATE', windowDays: 0, comparison: 'GTE', threshold: '170' },
    });
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const paths = bad.errors![0]!.extensions!.fields!.map((f) => f.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['input.name', 'input.windowDays', 'input.threshold', 'input.targetRiskGroupId']),
    );
    const wrongGroup = await gql(
      'mutation($i: CreateAssignmentRuleInput!) { createAssignmentRule(input: $i) { id } }',
      {
        i: {
          brandId,
          name: 'X',
          metric: 'TRADE_COUNT',
          windowDays: 30,
          comparison: 'GTE',
          threshold: '5',
          targetRiskGroupId: '00000000-0000-4000-8000-000000000000',
        },
      },
    );
    expect(wrongGroup.errors![0]!.extensions!.fields!.map((f) => f.path.join('.'))).toEqual([
      'input.targetRiskGroupId',
    ]);
    expect(await t.sql('SELECT 1 FROM risk_assignment_rule')).toHaveLength(0);
  });

  it('creates rules (audited), previews who would move and why, without moving anyone', async () => {
    const groups = await gql<{ riskGroups: { id: string; name: string }[] }>(
      'query($b: ID!) { riskGroups(brandId: $b) { id name } }',
      { b: brandId },
    );
    professional = groups.data!.riskGroups.find((g) => g.name === 'Professional')!.id;
    const created = await gql<{ createRiskGroup: { id: string } }>(
      'mutation($i: CreateRiskGroupInput!) { createRiskGroup(input: $i) { id } }',
      { i: { brandId, name: 'Scalpers (rules)', leverage: { FX_MAJOR: 10 } } },
    );
    scalpers = created.data!.createRiskGroup.id;
    // A person assigns MANUAL to the retail default by hand: the rules leave it alone.
    const retail = groups.data!.riskGroups.find((g) => g.name === 'Retail (ESMA)')!.id;
    const assigned = await gql('mutation($i: AssignRiskGroupInput!) { assignRiskGroup(input: $i) }', {
      i: { riskGroupId: retail, platformAccountIds: [ids.get(MANUAL)] },
    });
    expect(assigned.errors).toBeUndefined();

    const winners = await gql<{ createAssignmentRule: { id: string; threshold: string } }>(
      `mutation($i: CreateAssignmentRuleInput!) { createAssignmentRule(input: $i) { ${RULE} } }`,
      {
        i: {
          brandId,
          name: 'Consistent winners to A-book',
          metric: 'WIN_RATE',
          windowDays: 30,
          comparison: 'GTE',
          threshold: '70',
          minTrades: 50,
          targetRiskGroupId: professional,
          targetBook: 'A',
          priority: 10,
        },
      },
    );
    expect(winners.errors).toBeUndefined();
    const scalping = await gql<{ createAssignmentRule: { id: string } }>(
      `mutation($i: CreateAssignmentRuleInput!) { createAssignmentRule(input: $i) { ${RULE} } }`,
      {
        i: {
          brandId,
          name: 'Scalpers',
          metric: 'AVG_HOLDING_SECONDS',
          windowDays: 30,
          comparison: 'LT',
          threshold: '120',
          minTrades: 10,
          targetRiskGroupId: scalpers,
          priority: 20,
        },
      },
    );
    expect(scalping.errors).toBeUndefined();
    const [entry] = await t.sql<{ changes: Record<string, unknown> }>(
      "SELECT changes FROM audit_entry WHERE operation = 'risk.rule.create' AND target_id = $1",
      [winners.data!.createAssignmentRule.id],
    );
    expect(entry!.changes).toMatchObject({ metric: [null, 'WIN_RATE'], threshold: [null, '70'] });

    const preview = await gql<{ previewAssignmentRules: Move[] }>(
      `query($b: ID!) { previewAssignmentRules(brandId: $b) { ${MOVE} } }`,
      { b: brandId },
    );
    expect(preview.errors).toBeUndefined();
    const moves = preview.data!.previewAssignmentRules;
    expect(moves.map((m) => m.login).sort()).toEqual([WINNER, SCALPER].sort());
    const winner = moves.find((m) => m.login === WINNER)!;
    expect(winner).toMatchObject({
      ruleName: 'Consistent winners to A-book',
      metric: 'WIN_RATE',
      value: '75.00',
      trades: 60,
      fromRiskGroupName: 'Retail (ESMA)',
      toRiskGroupName: 'Professional',
      fromBook: 'B',
      toBook: 'A',
    });
    expect(winner.reason).toBe('win rate 75.00 % ≥ 70 % over 60 closed trades in the last 30 days');
    expect(moves.find((m) => m.login === SCALPER)).toMatchObject({
      metric: 'AVG_HOLDING_SECONDS',
      value: '60',
      toRiskGroupName: 'Scalpers (rules)',
    });
    // Nothing moved yet.
    const [still] = await t.sql<{ risk_group_id: string }>(
      'SELECT risk_group_id FROM risk_account WHERE platform_account_id = $1',
      [ids.get(WINNER)],
    );
    expect(still!.risk_group_id).toBe(retail);
  });

  it('runs from the scheduler: moves are audited, pushed to the platform and live in the books', async () => {
    const moved = await t.api.risk.rules!.tick();
    expect(moved.map((m) => m.login).sort()).toEqual([WINNER, SCALPER].sort());
    const rows = await t.sql<{ login: string; risk_group_id: string; book: string; assigned_by: string }>(
      `SELECT p.login, r.risk_group_id, r.book, r.assigned_by FROM risk_account r
         JOIN platform_account p ON p.id = r.platform_account_id WHERE p.login = ANY($1) ORDER BY p.login`,
      [LOGINS],
    );
    const byLogin = new Map(rows.map((r) => [r.login, r]));
    expect(byLogin.get(WINNER)).toMatchObject({ risk_group_id: professional, book: 'A', assigned_by: 'RULE' });
    expect(byLogin.get(SCALPER)).toMatchObject({ risk_group_id: scalpers, book: 'B', assigned_by: 'RULE' });
    for (const login of [STEADY, FEW, OLD, MANUAL]) expect(byLogin.get(login)!.assigned_by).not.toBe('RULE');

    const audits = await t.sql<{ target_id: string; changes: Record<string, [unknown, unknown]> }>(
      "SELECT target_id, changes FROM audit_entry WHERE operation = 'risk.account.rule-assign'",
    );
    expect(audits.map((a) => a.target_id).sort()).toEqual([ids.get(WINNER), ids.get(SCALPER)].sort());
    const winnerAudit = audits.find((a) => a.target_id === ids.get(WINNER))!;
    expect(winnerAudit.changes.book).toEqual(['B', 'A']);
    expect(winnerAudit.changes.rule).toEqual([null, 'Consistent winners to A-book']);

    await t.api.risk.settle();
    const pushes = await t.sql<{ login: string; status: string; payload: { group: string; leverage: number } }>(
      "SELECT login, status, payload FROM risk_command WHERE kind = 'PUSH_ACCOUNT' AND command_id LIKE 'risk:rule:%'",
    );
    expect(pushes.map((p) => p.login).sort()).toEqual([WINNER, SCALPER].sort());
    expect(pushes.every((p) => p.status === 'DONE')).toBe(true);
    const scalperPush = pushes.find((p) => p.login === SCALPER)!;
    expect(scalperPush.payload.leverage).toBeGreaterThan(0);
    // The live book has the winner in its new group and book at once.
    const live = t.api.risk.runtime.live(ids.get(WINNER)!)!;
    const state = live.book.margin.accountState(WINNER);
    expect(state.group.group.id).toBe(professional);
    expect(state.book).toBe('A');

    // A second run finds nothing to do (the accounts are where the rules want them).
    expect(await t.api.risk.rules!.tick()).toEqual([]);
    const rules = await gql<{ assignmentRules: { name: string; lastMoved: number; lastRunAt: string | null }[] }>(
      'query($b: ID!) { assignmentRules(brandId: $b) { name lastMoved lastRunAt } }',
      { b: brandId },
    );
    expect(rules.errors).toBeUndefined();
    expect(rules.data!.assignmentRules.every((r) => r.lastRunAt !== null)).toBe(true);
  });

  it('updates and deletes rules with audit; read-only staff may preview but not change or run', async () => {
    const list = await gql<{ assignmentRules: { id: string; name: string }[] }>(
      'query($b: ID!) { assignmentRules(brandId: $b) { id name } }',
      { b: brandId },
    );
    const scalping = list.data!.assignmentRules.find((r) => r.name === 'Scalpers')!;
    const updated = await gql<{ updateAssignmentRule: { threshold: string; enabled: boolean } }>(
      'mutation($id: ID!, $i: UpdateAssignmentRuleInput!) { updateAssignmentRule(id: $id, input: $i) { threshold enabled } }',
      { id: scalping.id, i: { threshold: '90', enabled: false } },
    );
    expect(updated.data!.updateAssignmentRule).toEqual({ threshold: '90', enabled: false });
    const bad = await gql(
      'mutation($id: ID!, $i: UpdateAssignmentRuleInput!) { updateAssignmentRule(id: $id, input: $i) { id } }',
      { id: scalping.id, i: { targetRiskGroupId: null } },
    );
    expect(bad.errors![0]!.extensions!.fields!.map((f) => f.path.join('.'))).toEqual(['input.targetRiskGroupId']);

    const readOnly = await t.signIn('readonly@brokerdeck.test', TEST_OWNER.password);
    const seen = await gql(
      'query($b: ID!) { previewAssignmentRules(brandId: $b) { login } }',
      { b: brandId },
      readOnly,
    );
    expect(seen.errors).toBeUndefined();
    const run = await gql('mutation($b: ID!) { runAssignmentRules(brandId: $b) { login } }', { b: brandId }, readOnly);
    expect(run.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const del = await gql('mutation($id: ID!) { deleteAssignmentRule(id: $id) }', { id: scalping.id }, readOnly);
    expect(del.errors![0]!.extensions!.code).toBe('FORBIDDEN');

    const deleted = await gql<{ deleteAssignmentRule: boolean }>(
      'mutation($id: ID!) { deleteAssignmentRule(id: $id) }',
      {
        id: scalping.id,
      },
    );
    expect(deleted.data!.deleteAssignmentRule).toBe(true);
    const audits = await t.sql<{ operation: string }>(
      'SELECT operation FROM audit_entry WHERE target_id = $1 ORDER BY id',
      [scalping.id],
    );
    expect(audits.map((a) => a.operation)).toEqual(['risk.rule.create', 'risk.rule.update', 'risk.rule.delete']);
  });
});
