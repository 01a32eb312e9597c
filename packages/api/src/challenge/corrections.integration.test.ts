import { SimulatedPlatform } from '../platform/simulator/simulator';
import { staffWith } from '../test/staff';
import { startTestApi, type TestApi } from '../test/harness';

/**
 * A platform corrects or cancels a deal it already reported: the account is rebuilt from its
 * journal with the corrected deal, its figures are corrected and audited, and when the outcome
 * changes the breach is withdrawn (trading opens again) or raised (trading stops). A pass is
 * withdrawn the same way while it has not advanced; once it has, staff review the correction.
 */
let t: TestApi;
let owner: string;
let sim: SimulatedPlatform;
const atlas = { brandId: '', planId: '', sizeId: '', platformId: '' };

beforeAll(async () => {
  t = await startTestApi();
  owner = await t.signIn();
  const [row] = await t.sql<{ brand_id: string; plan_id: string; size_id: string; platform_id: string }>(
    `SELECT b.id AS brand_id, v.plan_id, s->>'id' AS size_id, p.id AS platform_id
       FROM brand b JOIN platform_connection p ON p.brand_id = b.id
       JOIN plan_version v ON v.brand_id = b.id, jsonb_array_elements(v.content->'sizes') s
      WHERE b.slug = 'atlas' AND v.status = 'PUBLISHED' AND v.content->'names'->0->>'text' = 'Classic 2-Step Challenge'
        AND s->>'balance' = '100000.00'`,
  );
  Object.assign(atlas, {
    brandId: row!.brand_id,
    planId: row!.plan_id,
    sizeId: row!.size_id,
    platformId: row!.platform_id,
  });
  sim = new SimulatedPlatform({ seed: 21, start: '2025-03-04T12:00:00Z' });
  t.api.platformRegistry.register(atlas.platformId, sim);
});
afterAll(() => t.stop());

async function issue(email: string, planId = atlas.planId) {
  const result = await t.gql<{ issueChallengeAccount: { id: string; login: string } }>(
    'mutation($input: IssueAccountInput!) { issueChallengeAccount(input: $input) { id login } }',
    { input: { ...atlas, planId, platformId: undefined, traderEmail: email, traderName: 'Correction Test' } },
    owner,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.issueChallengeAccount;
}

async function ingest(events: object[]) {
  const response = await fetch(`${t.url}/ingest/${atlas.platformId}`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-ingest-token-not-for-production', 'content-type': 'application/x-ndjson' },
    body: events.map((e) => JSON.stringify(e)).join('\n'),
  });
  const body = (await response.json()) as { rejected: unknown[] };
  expect(body.rejected).toEqual([]);
  await t.api.live.settle();
}

/**
 * A position opened at `at[0]` and closed at `at[1]` with `profit`: flat, so equity is the balance.
 * Its deals are `ids[0]` and `ids[1]`.
 */
const roundTrip = (login: string, position: string, ids: [string, string], at: [string, string], profit: string) =>
  (['in', 'out'] as const).map((entry, i) => ({
    eventId: `${login}-${ids[i]}`,
    login,
    at: at[i],
    type: 'deal',
    id: ids[i],
    position,
    entry,
    symbol: 'EURUSD',
    side: entry === 'in' ? 'buy' : 'sell',
    volume: '1.00',
    price: '1.08500',
    profit: entry === 'in' ? '0.00' : profit,
    commission: '0.00',
    swap: '0.00',
  }));
/** Opens at 08:00 and closes at 09:00 with `profit`. */
const trade = (login: string, profit: string) =>
  roundTrip(login, 'p1', ['d1', 'd2'], ['2025-03-04T08:00:00Z', '2025-03-04T09:00:00Z'], profit);
const correction = (login: string, profit: string) => ({
  eventId: `${login}-fix`,
  login,
  at: '2025-03-04T11:00:00Z',
  type: 'dealCorrection',
  dealId: 'd2',
  profit,
  commission: '0.00',
  swap: '0.00',
});

const account = async (id: string) =>
  (
    await t.gql<{ challengeAccount: { status: string; endedRule: string | null; metrics: { balance: string } } }>(
      'query($id: ID!) { challengeAccount(id: $id) { status endedRule metrics { balance } } }',
      { id },
      owner,
    )
  ).data!.challengeAccount;
const transitions = (id: string) =>
  t.sql<{ kind: string; rule: string | null }>(
    'SELECT kind, rule FROM challenge_transition WHERE account_id = $1 ORDER BY seq, kind',
    [id],
  );
const audits = (id: string) =>
  t.sql<{ operation: string; actor_kind: string; changes: Record<string, unknown> }>(
    "SELECT operation, actor_kind, changes FROM audit_entry WHERE target_id = $1 AND operation <> 'issueChallengeAccount' ORDER BY id",
    [id],
  );

/** The account's audit trail: one deal correction by the platform, which changed `changes`. */
const correctedBySystem = (changes: Record<string, unknown>) => [
  { operation: 'correctDeal', actor_kind: 'SYSTEM', changes },
];

describe('deal corrections', () => {
  it('withdraws a breach that no longer holds: figures corrected, trading on again, audited', async () => {
    const issued = await issue('withdrawn@trader.test');
    await ingest(trade(issued.login, '-6000.00'));
    expect(await account(issued.id)).toMatchObject({ status: 'BREACHED', endedRule: 'DAILY_LOSS' });
    expect((await sim.getAccount(issued.login)).mode).toBe('DISABLED');

    await ingest([correction(issued.login, '-600.00')]);
    expect(await account(issued.id)).toEqual({ status: 'ACTIVE', endedRule: null, metrics: { balance: '99400.00' } });
    expect((await sim.getAccount(issued.login)).mode).toBe('FULL');
    expect(await transitions(issued.id)).toEqual([
      { kind: 'BREACH', rule: 'DAILY_LOSS' },
      { kind: 'CORRECTION', rule: 'DAILY_LOSS' },
    ]);
    expect(await audits(issued.id)).toEqual(
      correctedBySystem({
        dealId: [null, 'd2'],
        balance: ['94000.00', '99400.00'],
        status: ['BREACHED', 'ACTIVE'],
        rule: ['DAILY_LOSS', null],
      }),
    );
    // Delivered again, the correction changes nothing more.
    const before = await t.sql('SELECT count(*)::int AS n FROM outbox');
    await ingest([correction(issued.login, '-600.00')]);
    expect(await t.sql('SELECT count(*)::int AS n FROM outbox')).toEqual(before);
  });

  it('raises a breach that now holds: trading stops at the correction', async () => {
    const issued = await issue('raised@trader.test');
    await ingest(trade(issued.login, '-4000.00'));
    expect(await account(issued.id)).toMatchObject({ status: 'ACTIVE', metrics: { balance: '96000.00' } });

    await ingest([correction(issued.login, '-5500.00')]);
    expect(await account(issued.id)).toEqual({
      status: 'BREACHED',
      endedRule: 'DAILY_LOSS',
      metrics: { balance: '94500.00' },
    });
    await t.api.live.settle();
    expect((await sim.getAccount(issued.login)).mode).toBe('DISABLED');
    expect(await transitions(issued.id)).toEqual([
      { kind: 'BREACH', rule: 'DAILY_LOSS' },
      { kind: 'CORRECTION', rule: null },
    ]);
    expect((await audits(issued.id))[0]).toMatchObject({
      operation: 'correctDeal',
      changes: { status: ['ACTIVE', 'BREACHED'], rule: [null, 'DAILY_LOSS'] },
    });
  });

  it('cancels a deal: the account is rebuilt without it', async () => {
    const issued = await issue('cancelled@trader.test');
    await ingest(trade(issued.login, '2000.00'));
    expect((await account(issued.id)).metrics.balance).toBe('102000.00');
    await ingest([
      {
        eventId: `${issued.login}-cancel`,
        login: issued.login,
        at: '2025-03-04T11:00:00Z',
        type: 'dealCancel',
        dealId: 'd2',
      },
    ]);
    expect(await account(issued.id)).toMatchObject({ status: 'ACTIVE', metrics: { balance: '100000.00' } });
    expect((await audits(issued.id))[0]).toMatchObject({
      operation: 'cancelDeal',
      changes: { balance: ['102000.00', '100000.00'] },
    });
  });
});

/**
 * Four trading days of `profit` each (10 % of 100,000 in all passes the Classic first phase at the
 * last closing deal), all before the platform's clock; the last day's closing deal is `d3b`.
 */
const fourDays = (login: string, profit = '2500.00') =>
  ['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04'].flatMap((day, d) =>
    roundTrip(login, `p${d}`, [`d${d}a`, `d${d}b`], [`${day}T08:00:00Z`, `${day}T09:00:00Z`], profit),
  );
/** The platform corrects the last closing deal, which made the pass. */
const lastDealCorrected = (login: string, profit: string) => ({ ...correction(login, profit), dealId: 'd3b' });

let reviewedPlanId: string | null = null;
/** A copy of the Classic plan whose first phase advances only after staff review. */
async function reviewedPlan() {
  if (reviewedPlanId) return reviewedPlanId;
  const [plan] = await t.sql<{ id: string }>(
    `WITH p AS (
       INSERT INTO plan (id, brand_id, position, created_at, updated_at)
       SELECT gen_random_uuid(), brand_id, 1000, now(), now() FROM plan WHERE id = $1 RETURNING id, brand_id)
     INSERT INTO plan_version (id, plan_id, brand_id, number, status, content, created_at, published_at)
     SELECT gen_random_uuid(), p.id, p.brand_id, 1, 'PUBLISHED',
            jsonb_set(v.content, '{phases,0,advance}', '"MANUAL_REVIEW"'), now(), now()
       FROM p, plan_version v WHERE v.plan_id = $1 AND v.status = 'PUBLISHED' RETURNING plan_id AS id`,
    [atlas.planId],
  );
  reviewedPlanId = plan!.id;
  return reviewedPlanId;
}
/** One more round trip on 4 March after the correction, on a position of its own. */
const laterTrade = (login: string, profit: string) =>
  roundTrip(login, 'q1', ['e1', 'e2'], ['2025-03-04T11:30:00Z', '2025-03-04T11:45:00Z'], profit);
const review = async (id: string) =>
  (await t.sql<{ review: string | null }>('SELECT review FROM challenge_account WHERE id = $1', [id]))[0]!.review;
const nextPhases = (id: string) =>
  t.sql<{ status: string; phase_name: string }>(
    'SELECT status, phase_name FROM challenge_account WHERE previous_account_id = $1',
    [id],
  );
const outboxOf = (id: string, topic: string) =>
  t.sql<{ payload: Record<string, unknown> }>(
    "SELECT payload FROM outbox WHERE topic = $2 AND payload->>'accountId' = $1 ORDER BY id",
    [id, topic],
  );
/** What one account caused: its transitions, audit entries and outbox rows, and the accounts opened from it. */
const footprint = async (id: string) => ({
  transitions: await t.sql('SELECT count(*)::int AS n FROM challenge_transition WHERE account_id = $1', [id]),
  audits: await t.sql('SELECT count(*)::int AS n FROM audit_entry WHERE target_id = $1', [id]),
  outbox: await t.sql(
    `SELECT count(*)::int AS n FROM outbox WHERE payload->>'accountId' = $1::text
        OR payload->>'login' = (SELECT login FROM challenge_account WHERE id = $1::uuid)`,
    [id],
  ),
  next: await nextPhases(id),
});
/** Throws the engine's snapshot away and replays the account's whole journal. */
async function replay(id: string) {
  const [row] = await t.sql<{ platform_account_id: string }>(
    'UPDATE challenge_account SET engine_state = NULL, applied_seq = 0 WHERE id = $1 RETURNING platform_account_id',
    [id],
  );
  t.api.live.wake([row!.platform_account_id]);
  await t.api.live.settle();
}

describe('deal corrections after a pass', () => {
  it('keeps a pass that still holds: the corrected figures are recorded, the next phase goes on', async () => {
    const issued = await issue('still-passed@trader.test');
    await ingest(fourDays(issued.login));
    expect(await account(issued.id)).toMatchObject({ status: 'PASSED', metrics: { balance: '110000.00' } });
    expect(await nextPhases(issued.id)).toEqual([{ status: 'ACTIVE', phase_name: 'Verification' }]);

    await ingest([lastDealCorrected(issued.login, '3000.00')]);
    expect(await account(issued.id)).toEqual({ status: 'PASSED', endedRule: null, metrics: { balance: '110500.00' } });
    expect(await transitions(issued.id)).toEqual([
      { kind: 'PASS', rule: null },
      { kind: 'CORRECTION', rule: null },
    ]);
    expect(await audits(issued.id)).toEqual(
      correctedBySystem({ dealId: [null, 'd3b'], balance: ['110000.00', '110500.00'] }),
    );
    expect(await nextPhases(issued.id)).toEqual([{ status: 'ACTIVE', phase_name: 'Verification' }]);
    expect(await outboxOf(issued.id, 'challenge.correctionReview')).toEqual([]);
    expect((await sim.getAccount(issued.login)).mode).toBe('DISABLED');
  });

  it('withdraws a pass awaiting review that no longer holds: active again, trading on, review cleared', async () => {
    const issued = await issue('pass-withdrawn@trader.test', await reviewedPlan());
    await ingest(fourDays(issued.login));
    expect(await account(issued.id)).toMatchObject({ status: 'PASSED' });
    expect(await review(issued.id)).toBe('PENDING_REVIEW');
    expect((await sim.getAccount(issued.login)).mode).toBe('DISABLED');

    await ingest([lastDealCorrected(issued.login, '500.00')]);
    expect(await account(issued.id)).toEqual({ status: 'ACTIVE', endedRule: null, metrics: { balance: '108000.00' } });
    expect(await review(issued.id)).toBeNull();
    expect((await sim.getAccount(issued.login)).mode).toBe('FULL');
    // Trading opened again by one command, whose id the correction fixes (a retry sends the same).
    expect(
      await t.sql<{ mode: string }>(
        `SELECT payload->>'mode' AS mode FROM outbox WHERE topic = 'platform.command' AND payload->>'commandId' LIKE $1`,
        [`correction:${issued.id}:%`],
      ),
    ).toEqual([{ mode: 'FULL' }]);
    expect(await transitions(issued.id)).toEqual([
      { kind: 'PASS', rule: null },
      { kind: 'CORRECTION', rule: null },
    ]);
    expect(await audits(issued.id)).toEqual(
      correctedBySystem({
        dealId: [null, 'd3b'],
        balance: ['110000.00', '108000.00'],
        status: ['PASSED', 'ACTIVE'],
        review: ['PENDING_REVIEW', null],
      }),
    );

    // Staff can no longer approve it, and nothing opens.
    const approved = await t.gql(
      'mutation($id: ID!) { approvePass(accountId: $id) { status } }',
      { id: issued.id },
      owner,
    );
    expect(approved.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    // The pass's advance message delivered again (a retry) does nothing either.
    await t.sql(
      "UPDATE outbox SET delivered_at = NULL, attempts = 0 WHERE topic = 'challenge.advance' AND payload->>'accountId' = $1",
      [issued.id],
    );
    await t.api.live.settle();
    expect(await nextPhases(issued.id)).toEqual([]);
    expect(await review(issued.id)).toBeNull();
    expect(await account(issued.id)).toMatchObject({ status: 'ACTIVE' });

    // The account trades on and can pass again: the target reached once more, reviewed as before.
    await ingest(laterTrade(issued.login, '2000.00'));
    expect(await account(issued.id)).toMatchObject({ status: 'PASSED', metrics: { balance: '110000.00' } });
    expect(await review(issued.id)).toBe('PENDING_REVIEW');
  });

  it('leaves an account that advanced passed and flags the correction for staff review', async () => {
    const issued = await issue('advanced@trader.test');
    await ingest(fourDays(issued.login));
    const [next] = await t.sql<{ id: string; status: string }>(
      'SELECT id, status FROM challenge_account WHERE previous_account_id = $1',
      [issued.id],
    );
    expect(next).toMatchObject({ status: 'ACTIVE' });
    const nextBefore = await t.sql('SELECT * FROM challenge_account WHERE id = $1', [next!.id]);

    await ingest([lastDealCorrected(issued.login, '500.00')]);
    expect(await account(issued.id)).toEqual({ status: 'PASSED', endedRule: null, metrics: { balance: '110000.00' } });
    expect((await sim.getAccount(issued.login)).mode).toBe('DISABLED');
    expect(await t.sql('SELECT * FROM challenge_account WHERE id = $1', [next!.id])).toEqual(nextBefore);
    expect(
      await t.sql<{ kind: string; detail: Record<string, unknown> }>(
        "SELECT kind, detail FROM challenge_transition WHERE account_id = $1 AND kind = 'CORRECTION'",
        [issued.id],
      ),
    ).toEqual([
      {
        kind: 'CORRECTION',
        detail: expect.objectContaining({
          dealId: 'd3b',
          balanceBefore: '110000.00',
          balanceAfter: '108000.00',
          statusBefore: 'PASSED',
          statusAfter: 'PASSED',
          reviewRequired: true,
          outcome: { status: 'ACTIVE', rule: null, at: null },
        }),
      },
    ]);
    expect(await audits(issued.id)).toEqual(
      correctedBySystem({
        dealId: [null, 'd3b'],
        balance: ['110000.00', '108000.00'],
        reviewRequired: [null, true],
        outcome: [null, 'ACTIVE'],
      }),
    );
    expect(await outboxOf(issued.id, 'challenge.correctionReview')).toEqual([
      { payload: expect.objectContaining({ accountId: issued.id, dealId: 'd3b', reviewRequired: true }) },
    ]);
  });

  it('changes nothing more when the same correction is delivered again or the journal is replayed', async () => {
    // The first account's pass is withdrawn while it waits for review; the second advanced.
    const withdrawn = await issue('replayed-withdrawn@trader.test', await reviewedPlan());
    await ingest(fourDays(withdrawn.login));
    const flagged = await issue('replayed-flagged@trader.test');
    await ingest(fourDays(flagged.login));
    await ingest([lastDealCorrected(withdrawn.login, '500.00'), lastDealCorrected(flagged.login, '500.00')]);
    expect(await account(withdrawn.id)).toMatchObject({ status: 'ACTIVE' });
    expect(await account(flagged.id)).toMatchObject({ status: 'PASSED' });
    const before = [await footprint(withdrawn.id), await footprint(flagged.id)];
    const states = await t.sql(
      'SELECT id, status, engine_state, metrics FROM challenge_account WHERE id = ANY($1) ORDER BY id',
      [[withdrawn.id, flagged.id]],
    );

    await ingest([lastDealCorrected(withdrawn.login, '500.00'), lastDealCorrected(flagged.login, '500.00')]);
    await replay(withdrawn.id);
    await replay(flagged.id);
    expect([await footprint(withdrawn.id), await footprint(flagged.id)]).toEqual(before);
    expect(
      await t.sql('SELECT id, status, engine_state, metrics FROM challenge_account WHERE id = ANY($1) ORDER BY id', [
        [withdrawn.id, flagged.id],
      ]),
    ).toEqual(states);
  });
});

/** An account that passed and advanced, then lost its pass to a correction: the correction awaits review. */
async function flagged(email: string) {
  const issued = await issue(email);
  await ingest(fourDays(issued.login));
  await ingest([lastDealCorrected(issued.login, '500.00')]);
  const [next] = await t.sql<{ id: string; login: string }>(
    'SELECT id, login FROM challenge_account WHERE previous_account_id = $1',
    [issued.id],
  );
  const [correction] = await t.sql<{ id: string }>(
    "SELECT id FROM challenge_transition WHERE account_id = $1 AND kind = 'CORRECTION'",
    [issued.id],
  );
  return { issued, next: next!, correctionId: correction!.id };
}

const RESOLVE = `mutation($input: ResolveCorrectionReviewInput!) {
  resolveCorrectionReview(input: $input) {
    id kind reviewRequired reviewOutcome reviewResolution { decision reason actor at failedAccountId }
  }
}`;
const resolve = (input: { accountId: string; transitionId: string; decision: string; reason: string }, token = owner) =>
  t.gql<{ resolveCorrectionReview: Record<string, unknown> }>(RESOLVE, { input }, token);
const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.[0]?.extensions?.code;
const timelineCorrection = async (id: string) =>
  (
    await t.gql<{ challengeTimeline: { id: string; kind: string }[] }>(
      `query($id: ID!) { challengeTimeline(accountId: $id) {
         id kind reviewRequired reviewOutcome reviewResolution { decision reason actor failedAccountId } } }`,
      { id },
      owner,
    )
  ).data!.challengeTimeline.find((entry) => entry.kind === 'CORRECTION');
/** What a resolution may write anywhere: decisions, audit entries, journal entries, outbox rows. */
const everything = async () =>
  (
    await t.sql(
      `SELECT (SELECT count(*)::int FROM correction_review) AS reviews, (SELECT count(*)::int FROM audit_entry) AS audits,
              (SELECT count(*)::int FROM platform_event) AS events, (SELECT count(*)::int FROM outbox) AS outbox`,
    )
  )[0];
const accountRows = (ids: string[]) => t.sql('SELECT * FROM challenge_account WHERE id = ANY($1) ORDER BY id', [ids]);

describe('resolving a correction that needs review', () => {
  it('keeps the pass: the decision is recorded and audited, nothing else changes', async () => {
    const { issued, next, correctionId } = await flagged('review-kept@trader.test');
    expect(await timelineCorrection(issued.id)).toEqual({
      id: correctionId,
      kind: 'CORRECTION',
      reviewRequired: true,
      reviewOutcome: 'ACTIVE',
      reviewResolution: null,
    });
    const rows = await accountRows([issued.id, next.id]);
    const before = await footprint(next.id);

    const result = await resolve({
      accountId: issued.id,
      transitionId: correctionId,
      decision: 'KEEP_PASS',
      reason: '  Platform error on the corrected deal; the pass was earned  ',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.resolveCorrectionReview).toEqual({
      id: correctionId,
      kind: 'CORRECTION',
      reviewRequired: true,
      reviewOutcome: 'ACTIVE',
      reviewResolution: {
        decision: 'KEEP_PASS',
        reason: 'Platform error on the corrected deal; the pass was earned',
        actor: 'owner@brokerdeck.test',
        at: expect.any(String),
        failedAccountId: null,
      },
    });
    await t.api.live.settle();
    expect(await accountRows([issued.id, next.id])).toEqual(rows);
    expect(await footprint(next.id)).toEqual(before);
    expect((await sim.getAccount(next.login)).mode).toBe('FULL');
    expect((await audits(issued.id)).at(-1)).toEqual({
      operation: 'resolveCorrectionReview',
      actor_kind: 'STAFF',
      changes: {
        review: ['REQUIRED', 'RESOLVED'],
        transitionId: [null, correctionId],
        decision: [null, 'KEEP_PASS'],
        reason: [null, 'Platform error on the corrected deal; the pass was earned'],
      },
    });
    expect((await timelineCorrection(issued.id)) as unknown).toMatchObject({
      reviewResolution: { decision: 'KEEP_PASS', actor: 'owner@brokerdeck.test', failedAccountId: null },
    });
  });

  it('revokes the pass: the next phase is failed by a staff action (trading stops), audited, once', async () => {
    const { issued, next, correctionId } = await flagged('review-revoked@trader.test');
    expect((await sim.getAccount(next.login)).mode).toBe('FULL');

    const input = {
      accountId: issued.id,
      transitionId: correctionId,
      decision: 'REVOKE_PASS',
      reason: 'The corrected deal leaves the target unmet',
    };
    const result = await resolve(input);
    expect(result.errors).toBeUndefined();
    expect(result.data!.resolveCorrectionReview).toMatchObject({
      reviewResolution: { decision: 'REVOKE_PASS', failedAccountId: next.id, actor: 'owner@brokerdeck.test' },
    });
    await t.api.live.settle();
    // The next phase failed as a manual fail does: a MANUAL breach, trading disabled and positions closed.
    expect(await account(next.id)).toMatchObject({ status: 'BREACHED', endedRule: 'MANUAL' });
    expect((await sim.getAccount(next.login)).mode).toBe('DISABLED');
    expect(
      await t.sql(
        "SELECT payload->>'command' AS command, payload->>'mode' AS mode FROM outbox WHERE topic = 'platform.command' AND payload->>'login' = $1 ORDER BY id",
        [next.login],
      ),
    ).toEqual([
      { command: 'setTradingMode', mode: 'DISABLED' },
      { command: 'closeAllPositions', mode: null },
    ]);
    expect(
      await t.sql(
        "SELECT type, payload->>'id' AS id, payload->>'action' AS action, payload->>'reason' AS reason FROM platform_event WHERE event_id LIKE 'staff:%' AND account_id = (SELECT platform_account_id FROM challenge_account WHERE id = $1)",
        [next.id],
      ),
    ).toEqual([{ type: 'staff', id: `correction-review:${correctionId}`, action: 'FAIL', reason: input.reason }]);
    expect(await transitions(next.id)).toEqual([{ kind: 'BREACH', rule: 'MANUAL' }]);
    expect(await audits(next.id)).toEqual([
      {
        operation: 'failChallengeAccount',
        actor_kind: 'STAFF',
        changes: expect.objectContaining({ action: [null, 'FAIL'], reason: [null, input.reason] }),
      },
    ]);
    expect((await audits(issued.id)).at(-1)).toMatchObject({
      operation: 'resolveCorrectionReview',
      changes: { decision: [null, 'REVOKE_PASS'], failedAccountId: [null, next.id] },
    });
    // The pass itself stands in the record; the timeline says how the correction was resolved.
    expect(await account(issued.id)).toMatchObject({ status: 'PASSED' });
    expect(await timelineCorrection(issued.id)).toMatchObject({
      reviewRequired: true,
      reviewResolution: { decision: 'REVOKE_PASS', reason: input.reason, failedAccountId: next.id },
    });

    // Submitted again (a double click, a retry), or decided otherwise: CONFLICT, nothing repeated.
    const before = await everything();
    const rows = await accountRows([issued.id, next.id]);
    expect(codeOf(await resolve(input))).toBe('CONFLICT');
    expect(codeOf(await resolve({ ...input, decision: 'KEEP_PASS' }))).toBe('CONFLICT');
    await t.api.live.settle();
    expect(await everything()).toEqual(before);
    expect(await accountRows([issued.id, next.id])).toEqual(rows);
  });

  it('revokes with nothing left to fail when the next phase has already ended', async () => {
    const { issued, next, correctionId } = await flagged('review-ended@trader.test');
    await ingest(trade(next.login, '-6000.00'));
    expect(await account(next.id)).toMatchObject({ status: 'BREACHED', endedRule: 'DAILY_LOSS' });
    const events = await t.sql('SELECT count(*)::int AS n FROM platform_event');
    const result = await resolve({
      accountId: issued.id,
      transitionId: correctionId,
      decision: 'REVOKE_PASS',
      reason: 'Target unmet',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.resolveCorrectionReview).toMatchObject({
      reviewResolution: { decision: 'REVOKE_PASS', failedAccountId: null },
    });
    expect(await t.sql('SELECT count(*)::int AS n FROM platform_event')).toEqual(events);
    expect(await account(next.id)).toMatchObject({ status: 'BREACHED', endedRule: 'DAILY_LOSS' });
  });

  it('refuses what does not apply, bad input, roles that may not decide and other brands; nothing changes', async () => {
    const { issued, next, correctionId } = await flagged('review-refused@trader.test');
    const input = { accountId: issued.id, transitionId: correctionId, decision: 'REVOKE_PASS', reason: 'Target unmet' };
    // Signing in is audited too: the personas sign in first.
    const readOnly = await staffWith(t, 'review-readonly@staff.test', [{ brandId: atlas.brandId, role: 'READ_ONLY' }]);
    const support = await staffWith(t, 'review-support@staff.test', [{ brandId: atlas.brandId, role: 'SUPPORT' }]);
    const [sahara] = await t.sql<{ id: string }>("SELECT id FROM brand WHERE slug = 'sahara'");
    const otherBrand = await staffWith(t, 'review-sahara@staff.test', [{ brandId: sahara!.id, role: 'ADMIN' }]);
    const before = await everything();
    const rows = await accountRows([issued.id, next.id]);

    for (const reason of ['  ab  ', '', 'x'.repeat(501)]) {
      const bad = await resolve({ ...input, reason });
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0]?.extensions?.fields).toEqual([{ path: ['input', 'reason'], message: expect.any(String) }]);
    }
    // The PASS entry is no correction under review; a correction of another account is not this one's.
    const [pass] = await t.sql<{ id: string }>(
      "SELECT id FROM challenge_transition WHERE account_id = $1 AND kind = 'PASS'",
      [issued.id],
    );
    expect(codeOf(await resolve({ ...input, transitionId: pass!.id }))).toBe('CONFLICT');
    expect(codeOf(await resolve({ ...input, accountId: next.id }))).toBe('NOT_FOUND');
    expect(codeOf(await resolve({ ...input, transitionId: '00000000-0000-4000-8000-000000000000' }))).toBe('NOT_FOUND');

    expect(codeOf(await resolve(input, readOnly))).toBe('FORBIDDEN');
    expect(codeOf(await resolve(input, support))).toBe('FORBIDDEN');
    expect(codeOf(await resolve(input, otherBrand))).toBe('NOT_FOUND');

    await t.api.live.settle();
    expect(await everything()).toEqual(before);
    expect(await accountRows([issued.id, next.id])).toEqual(rows);
    expect(await timelineCorrection(issued.id)).toMatchObject({ reviewRequired: true, reviewResolution: null });

    // A risk manager of the brand may decide.
    const risk = await staffWith(t, 'review-risk@staff.test', [{ brandId: atlas.brandId, role: 'RISK_MANAGER' }]);
    const kept = await resolve({ ...input, decision: 'KEEP_PASS' }, risk);
    expect(kept.errors).toBeUndefined();
    expect(kept.data!.resolveCorrectionReview).toMatchObject({
      reviewResolution: { decision: 'KEEP_PASS', actor: 'review-risk@staff.test' },
    });
  });
});
