import { issuablePlans, issueSchema, toIssueInput } from './issue-form';

const t = (id: string) => id;

describe('the issue-account form', () => {
  const schema = issueSchema(t as never);

  it('accepts a complete form', () => {
    const parsed = schema.safeParse({
      traderEmail: ' ada@example.com ',
      traderName: 'Ada',
      planId: 'p1',
      sizeId: 's1',
    });
    expect(parsed.success).toBe(true);
  });

  it('says which fields are missing or wrong', () => {
    const parsed = schema.safeParse({ traderEmail: 'not-an-email', traderName: ' ', planId: '', sizeId: '' });
    expect(parsed.success).toBe(false);
    const issues = Object.fromEntries((parsed.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
    expect(issues).toEqual({
      traderEmail: 'validation.email',
      traderName: 'validation.required',
      planId: 'validation.required',
      sizeId: 'validation.required',
    });
  });

  it('trims what it sends', () => {
    expect(
      toIssueInput('b1', { traderEmail: ' ada@example.com ', traderName: ' Ada L. ', planId: 'p1', sizeId: 's1' }),
    ).toEqual({ brandId: 'b1', traderEmail: 'ada@example.com', traderName: 'Ada L.', planId: 'p1', sizeId: 's1' });
  });

  it('offers only published, unarchived plans with sizes', () => {
    const plans = [
      { id: 'a', name: 'A', status: 'PUBLISHED', published: { sizes: [1] } },
      { id: 'b', name: 'B', status: 'DRAFT', published: null },
      { id: 'c', name: 'C', status: 'ARCHIVED', published: { sizes: [1] } },
      { id: 'd', name: 'D', status: 'PUBLISHED', published: { sizes: [] } },
    ];
    expect(issuablePlans(plans).map((p) => p.id)).toEqual(['a']);
  });
});
