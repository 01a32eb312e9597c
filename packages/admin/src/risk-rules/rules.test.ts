import { byPriority, canWriteRules, emptyRuleForm, ruleSchema, toCreateInput, toUpdateInput } from './rules';

describe('assignment rule form', () => {
  it('needs a target group or book, and a win rate of at most 100 %', () => {
    const result = ruleSchema.safeParse({ ...emptyRuleForm(), name: 'x', targetBook: '', threshold: '120' });
    expect(result.success).toBe(false);
    const issues = result.success ? [] : result.error.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ['targetRiskGroupId', 'riskRules.error.target'],
        ['threshold', 'riskRules.error.winRate'],
      ]),
    );
    expect(ruleSchema.safeParse({ ...emptyRuleForm(), name: 'Winners' }).success).toBe(true);
  });

  it('sends empty targets as null, so an update can clear one', () => {
    const form = { ...emptyRuleForm(), name: ' Winners ', targetRiskGroupId: '', targetBook: 'A' as const };
    expect(toCreateInput('b1', form)).toMatchObject({
      brandId: 'b1',
      name: 'Winners',
      targetRiskGroupId: null,
      targetBook: 'A',
    });
    const update = toUpdateInput({ ...form, targetBook: '', targetRiskGroupId: 'g1' });
    expect(update).toMatchObject({ targetBook: null, targetRiskGroupId: 'g1' });
    expect(update).not.toHaveProperty('brandId');
  });

  it('orders rules as the API runs them and lets only risk writers change them', () => {
    expect(
      byPriority([
        { priority: 20, name: 'a' },
        { priority: 10, name: 'b' },
        { priority: 10, name: 'a' },
      ]),
    ).toEqual([
      { priority: 10, name: 'a' },
      { priority: 10, name: 'b' },
      { priority: 20, name: 'a' },
    ]);
    expect(canWriteRules([{ role: 'RISK_MANAGER', brandId: 'b1' }], 'b1')).toBe(true);
    expect(canWriteRules([{ role: 'RISK_MANAGER', brandId: 'b2' }], 'b1')).toBe(false);
    expect(canWriteRules([{ role: 'READ_ONLY', brandId: null }], 'b1')).toBe(false);
  });
});
