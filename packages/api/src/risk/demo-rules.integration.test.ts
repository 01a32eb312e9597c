import type { PlatformEvent } from '../platform/platform';
import { SimulatedPlatform } from '../platform/simulator/simulator';
import type { TraderBehaviour } from '../platform/simulator/traders';
import { startTestApi, type TestApi } from '../test/harness';
import { DEMO_ASSIGNMENT_RULES } from './seed';

/**
 * The demo's behaviour rules on simulated trading: a simulator (no wall time) runs the consistent
 * small winner, the gambler, the scalper and the lucky-day trader day by day; every event goes
 * through ingestion into the journal, and after each simulated day the scheduler runs the rules
 * the demo seeded for the brand (their windows end at the simulator's clock). The winner moves to
 * the Professional A-book group (audited, pushed to the platform, live in the books); the gambler
 * and the scalper stay in the retail B-book.
 *
 * Seed 3 is one run; over 20 seeds the winner moves on day 4 or 5 every time, the scalper never,
 * and the gambler, whose first day can be a burst of quick wins, in about half the runs on day 1
 * (the "position holders" rule moves it back once it sits on losing positions).
 */
let t: TestApi;
let platformId: string;
let brandId: string;
let sim: SimulatedPlatform;
const DAY = 86_400_000;
const BEHAVIOURS: TraderBehaviour[] = ['STEADY_WINNER', 'GAMBLER', 'SCALPER', 'LUCKY_DAY'];
const logins = new Map<TraderBehaviour, string>();
const accountIds = new Map<string, string>();
let pending: PlatformEvent[] = [];

beforeAll(async () => {
  t = await startTestApi();
  const [row] = await t.sql<{ id: string; brand_id: string }>(
    "SELECT p.id, p.brand_id FROM platform_connection p JOIN brand b ON b.id = p.brand_id WHERE b.slug = 'atlas'",
  );
  platformId = row!.id;
  brandId = row!.brand_id;
  sim = new SimulatedPlatform({
    seed: 3,
    quoteIntervalMs: 3_600_000,
    equityIntervalMs: 3_600_000,
    positionIntervalMs: 0,
  });
  sim.subscribe((events) => {
    pending.push(...events);
  });
  t.api.platformRegistry.register(platformId, sim);
  for (const behaviour of BEHAVIOURS) {
    const login = sim.addTrader(behaviour);
    logins.set(behaviour, login);
    const [a] = await t.sql<{ id: string }>(
      "INSERT INTO platform_account (id, platform_id, brand_id, login, currency) VALUES (gen_random_uuid(), $1, $2, $3, 'USD') RETURNING id",
      [platformId, brandId, login],
    );
    accountIds.set(login, a!.id);
  }
});
afterAll(() => t.stop());

async function ingestPending() {
  const events = pending;
  pending = [];
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

const placement = async (login: string) => {
  const [row] = await t.sql<{ name: string; book: string; assigned_by: string }>(
    `SELECT g.name, r.book, r.assigned_by FROM risk_account r JOIN risk_group g ON g.id = r.risk_group_id
      WHERE r.platform_account_id = $1`,
    [accountIds.get(login)],
  );
  return row!;
};

describe('demo behaviour rules', () => {
  it('are seeded for every demo brand', async () => {
    const rules = await t.sql<{ name: string; metric: string; target: string; target_book: string }>(
      `SELECT r.name, r.metric, g.name AS target, r.target_book FROM risk_assignment_rule r
         JOIN risk_group g ON g.id = r.target_risk_group_id WHERE r.brand_id = $1 AND r.enabled ORDER BY r.priority`,
      [brandId],
    );
    expect(rules).toEqual(
      DEMO_ASSIGNMENT_RULES.map((r) => ({
        name: r.name,
        metric: r.metric,
        target: r.target,
        target_book: r.targetBook,
      })),
    );
    const [{ brands }] = await t.sql<{ brands: number }>(
      `SELECT count(DISTINCT brand_id)::int AS brands FROM risk_assignment_rule`,
    );
    const [{ all }] = await t.sql<{ all: number }>('SELECT count(*)::int AS "all" FROM brand');
    expect(brands).toBe(all);
  });

  it('move the consistent winner to the A-book within a few simulated days; the gambler and scalper stay', async () => {
    await ingestPending();
    const winner = logins.get('STEADY_WINNER')!;
    let movedOn: number | null = null;
    for (let day = 1; day <= 6; day++) {
      sim.runFor(DAY);
      await ingestPending();
      const moves = await t.api.risk.rules!.tick();
      if (moves.some((m) => m.login === winner)) movedOn ??= day;
      for (const behaviour of ['GAMBLER', 'SCALPER'] as const) {
        expect(await placement(logins.get(behaviour)!)).toMatchObject({ name: 'Retail (ESMA)', book: 'B' });
      }
    }
    expect(movedOn).not.toBeNull();
    expect(movedOn!).toBeLessThanOrEqual(5);
    expect(await placement(winner)).toEqual({ name: 'Professional', book: 'A', assigned_by: 'RULE' });

    // Audited, naming the rule and why.
    const audits = await t.sql<{ target_id: string; changes: Record<string, [unknown, unknown]> }>(
      "SELECT target_id, changes FROM audit_entry WHERE operation = 'risk.account.rule-assign' AND brand_id = $1",
      [brandId],
    );
    const winnerAudit = audits.find((a) => a.target_id === accountIds.get(winner))!;
    expect(winnerAudit.changes.book).toEqual(['B', 'A']);
    expect(winnerAudit.changes.rule).toEqual([null, 'Consistent winners to the A-book']);
    expect(String(winnerAudit.changes.reason![1])).toMatch(/^profit factor .* ≥ 2 over \d+ closed trades/);
    for (const behaviour of ['GAMBLER', 'SCALPER'] as const) {
      expect(audits.some((a) => a.target_id === accountIds.get(logins.get(behaviour)!))).toBe(false);
    }

    // Pushed: the platform has the account in the professional group at its leverage.
    await t.api.risk.settle();
    const pushes = await t.sql<{ status: string; payload: { group: string; leverage: number } }>(
      "SELECT status, payload FROM risk_command WHERE kind = 'PUSH_ACCOUNT' AND login = $1",
      [winner],
    );
    expect(pushes).toEqual([{ status: 'DONE', payload: { group: 'brokerdeck\\pro', leverage: 200 } }]);
    const onPlatform = sim.accounts().find((a) => a.login === winner)!;
    expect(onPlatform.group).toBe('brokerdeck\\pro');
    expect(onPlatform.leverage).toBe(200);

    // Live in the books at once.
    const live = t.api.risk.runtime.live(accountIds.get(winner)!)!;
    expect(live.book.margin.accountState(winner).book).toBe('A');
  });
});
