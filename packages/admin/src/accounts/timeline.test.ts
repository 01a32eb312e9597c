import { describeEntry, timelineEntries } from './timeline';

const t = (id: string, values?: Record<string, unknown>) => (values ? `${id} ${JSON.stringify(values)}` : id);
const context = { locale: 'en', currency: 'USD', timeZone: 'Europe/Prague' };

const tr = (seq: number, kind: string, rule: string | null = null) => ({
  accountId: 'a1',
  kind,
  rule,
  at: `2025-03-0${Math.min(seq, 9)}T10:00:00.000Z`,
  floor: kind === 'BREACH' && rule !== 'MANUAL' ? '95000.00' : null,
  equity: kind === 'BREACH' && rule !== 'MANUAL' ? '94000.00' : null,
  seq,
  threshold: null,
});

const staffEntry = (at: string, action: string, reason: string | null, days?: number, actor = 'risk@atlas.test') => ({
  at,
  actor,
  operation: 'whatever',
  changes: [
    { field: 'status', before: '"ACTIVE"', after: null },
    { field: 'action', before: null, after: JSON.stringify(action) },
    { field: 'actionId', before: null, after: '"x"' },
    ...(reason ? [{ field: 'reason', before: null, after: JSON.stringify(reason) }] : []),
    ...(days ? [{ field: 'days', before: null, after: String(days) }] : []),
  ],
});

describe('the account timeline', () => {
  it('names who did each staff action, why and for how many days, matched in order', () => {
    const transitions = [tr(3, 'EXTEND'), tr(5, 'BREACH', 'MANUAL'), tr(6, 'REINSTATE', 'MANUAL'), tr(8, 'EXTEND')];
    // The audit trail answers newest first.
    const audit = [
      staffEntry('2025-03-08T10:00:01Z', 'EXTEND', null, 2, 'admin@brokerdeck.test'),
      staffEntry('2025-03-06T10:00:01Z', 'REINSTATE', 'Outage on the feed'),
      staffEntry('2025-03-05T10:00:01Z', 'FAIL', 'Prohibited strategy'),
      staffEntry('2025-03-03T10:00:01Z', 'EXTEND', 'Holiday', 5),
      { at: '2025-03-01T00:00:00Z', actor: 'owner@brokerdeck.test', operation: 'issueChallengeAccount', changes: [] },
    ];
    const entries = timelineEntries(transitions, audit);
    expect(entries.map((e) => [e.kind, e.staff?.actor, e.staff?.reason, e.staff?.days])).toEqual([
      ['EXTEND', 'risk@atlas.test', 'Holiday', 5],
      ['MANUAL_FAIL', 'risk@atlas.test', 'Prohibited strategy', null],
      ['REINSTATE', 'risk@atlas.test', 'Outage on the feed', null],
      ['EXTEND', 'admin@brokerdeck.test', null, 2],
    ]);
  });

  it('tells a manual pass and a reset from the engine’s pass and a close', () => {
    const passed = timelineEntries([tr(4, 'PASS')], [staffEntry('2025-03-04T10:00:00Z', 'PASS', 'Reviewed')]);
    expect(passed[0]!.kind).toBe('MANUAL_PASS');
    expect(timelineEntries([tr(4, 'PASS')], [])[0]!.kind).toBe('PASS');
    const reset = timelineEntries([tr(4, 'CLOSE')], [staffEntry('2025-03-04T10:00:00Z', 'RESET', 'Second chance')]);
    expect(reset[0]!.kind).toBe('RESET');
    expect(reset[0]!.staff?.reason).toBe('Second chance');
    expect(timelineEntries([tr(4, 'CLOSE')], null)[0]!.kind).toBe('CLOSE');
  });

  it('describes staff actions distinctly, with their details, and still without the audit trail', () => {
    const [extend] = timelineEntries([tr(3, 'EXTEND')], [staffEntry('2025-03-03T10:00:01Z', 'EXTEND', 'Holiday', 5)]);
    const text = describeEntry(t as never, extend!, context);
    expect(text.source).toBe('staff');
    expect(text.title).toBe('timeline.staff.extend');
    expect(text.details.map((d) => d.id)).toEqual(['actor', 'days', 'reason']);
    expect(text.details[1]!.text).toBe('timeline.staff.days {"days":5}');
    expect(text.details[2]!.text).toContain('Holiday');

    const [bare] = timelineEntries([tr(6, 'REINSTATE', 'DAILY_LOSS')], null);
    const reinstated = describeEntry(t as never, bare!, context);
    expect(reinstated.title).toBe('timeline.staff.reinstate');
    expect(reinstated.body).toContain('timeline.staff.reinstateBody');
    expect(reinstated.body).toContain('accounts.rule.DAILY_LOSS');
    expect(reinstated.details).toEqual([]);

    const [breach] = timelineEntries([tr(2, 'BREACH', 'DAILY_LOSS')], null);
    expect(describeEntry(t as never, breach!, context)).toMatchObject({
      source: 'engine',
      title: expect.stringContaining('explain.title.breach'),
    });
  });

  it('shows a deal correction with the deal and the balance before and after', () => {
    const audit = [
      {
        at: '2025-03-04T10:00:00Z',
        actor: 'platform deal correction',
        operation: 'cancelDeal',
        changes: [
          { field: 'dealId', before: null, after: '"D-17"' },
          { field: 'balance', before: '"100000.00"', after: '"99750.00"' },
        ],
      },
    ];
    const [entry] = timelineEntries([tr(4, 'CORRECTION', 'DAILY_LOSS')], audit);
    expect(entry!.correction).toEqual({
      action: 'CANCEL',
      dealId: 'D-17',
      balanceBefore: '100000.00',
      balanceAfter: '99750.00',
      statusBefore: null,
      statusAfter: null,
    });
    const text = describeEntry(t as never, entry!, context);
    expect(text.source).toBe('correction');
    expect(text.title).toBe('timeline.correction.cancelled');
    expect(text.body).toContain('timeline.correction.withdrawn');
    expect(text.details.map((d) => d.id)).toEqual(['deal', 'balance']);
    expect(text.details[1]!.text).toContain('$100,000.00');
    expect(text.details[1]!.text).toContain('$99,750.00');

    const [plain] = timelineEntries([tr(4, 'CORRECTION')], null);
    expect(describeEntry(t as never, plain!, context)).toMatchObject({
      title: 'timeline.correction.corrected',
      details: [],
    });
  });

  const correctionAudit = (changes: { field: string; before?: string | null; after?: string | null }[]) => [
    { at: '2025-03-04T10:00:00Z', actor: 'platform deal correction', operation: 'correctDeal', changes },
  ];

  it('says when a correction withdrew a pass, and what the account is now', () => {
    const audit = correctionAudit([
      { field: 'dealId', before: null, after: '"d3b"' },
      { field: 'balance', before: '"110000.00"', after: '"108000.00"' },
      { field: 'status', before: '"PASSED"', after: '"ACTIVE"' },
      { field: 'review', before: '"PENDING_REVIEW"', after: null },
    ]);
    const [entry] = timelineEntries([tr(9, 'CORRECTION')], audit);
    const text = describeEntry(t as never, entry!, context);
    expect(text.body).toContain('timeline.correction.passWithdrawn');
    expect(text.body).toContain('accounts.status.ACTIVE');
    expect(text.needsReview).toBeFalsy();
  });

  it('marks a correction that took the pass of an account that had moved on as needing staff review', () => {
    // The marker comes from the timeline itself, so readers without the audit trail see it too.
    const flagged = { ...tr(9, 'CORRECTION'), id: 'tr9', reviewRequired: true, reviewOutcome: 'BREACHED' };
    const audit = correctionAudit([
      { field: 'dealId', before: null, after: '"d3b"' },
      { field: 'balance', before: '"110000.00"', after: '"108000.00"' },
      { field: 'reviewRequired', before: null, after: 'true' },
      { field: 'outcome', before: null, after: '"BREACHED"' },
    ]);
    const [entry] = timelineEntries([flagged], audit);
    const text = describeEntry(t as never, entry!, context);
    expect(text).toMatchObject({ needsReview: true, color: 'orange', source: 'correction' });
    expect(text.body).toContain('timeline.correction.reviewBody');
    expect(text.body).toContain('accounts.status.BREACHED');
    expect(text.details.map((d) => d.id)).toEqual(['deal', 'balance']);
    expect(text.reviewed).toBeUndefined();

    const [bare] = timelineEntries([flagged], null);
    expect(describeEntry(t as never, bare!, context)).toMatchObject({ needsReview: true, details: [] });
    // A correction without review is not marked.
    const [plain] = timelineEntries([{ ...tr(9, 'CORRECTION'), reviewRequired: false }], null);
    expect(describeEntry(t as never, plain!, context).needsReview).toBeFalsy();
  });

  it('says how a reviewed correction was resolved, by whom and why, and no longer asks for review', () => {
    const reviewed = (decision: string) => ({
      ...tr(9, 'CORRECTION'),
      id: 'tr9',
      reviewRequired: true,
      reviewOutcome: 'ACTIVE',
      reviewResolution: { decision, reason: 'Target unmet', actor: 'risk@atlas.test' },
    });
    const [kept] = timelineEntries([reviewed('KEEP_PASS')], null);
    const keptText = describeEntry(t as never, kept!, context);
    expect(keptText.needsReview).toBeFalsy();
    expect(keptText.reviewed?.decision).toBe('KEEP_PASS');
    expect(keptText.reviewed?.text).toContain('timeline.correction.reviewedKept');
    expect(keptText.reviewed?.text).toContain('risk@atlas.test');
    expect(keptText.reviewed?.text).toContain('Target unmet');
    const [revoked] = timelineEntries([reviewed('REVOKE_PASS')], null);
    const revokedText = describeEntry(t as never, revoked!, context);
    expect(revokedText.color).toBe('red');
    expect(revokedText.needsReview).toBeFalsy();
    expect(revokedText.reviewed?.text).toContain('timeline.correction.reviewedRevoked');
  });
});
