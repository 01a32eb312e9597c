import {
  canReadAudit,
  emptyStaffActionForm,
  newActionId,
  staffActionSchema,
  toStaffActionVariables,
  visibleStaffActions,
} from './staff-actions';

const t = (id: string) => id;
const ALL = ['EXTEND', 'REINSTATE', 'PASS', 'FAIL', 'CLOSE', 'RESET'];
const ATLAS = 'brand-atlas';
const SAHARA = 'brand-sahara';

describe('which staff actions a member sees', () => {
  it('shows a risk manager every action that applies, in a fixed order', () => {
    const grants = [{ brandId: ATLAS, role: 'RISK_MANAGER' }];
    expect(visibleStaffActions(['RESET', 'CLOSE', 'EXTEND'], grants, ATLAS)).toEqual(['EXTEND', 'CLOSE', 'RESET']);
    expect(visibleStaffActions(ALL, grants, ATLAS)).toEqual(ALL);
  });

  it('shows support only the extension, and only when it applies', () => {
    const grants = [{ brandId: ATLAS, role: 'SUPPORT' }];
    expect(visibleStaffActions(ALL, grants, ATLAS)).toEqual(['EXTEND']);
    expect(visibleStaffActions(['REINSTATE', 'CLOSE'], grants, ATLAS)).toEqual([]);
  });

  it('shows nothing to roles that may not act, or on another brand', () => {
    expect(visibleStaffActions(ALL, [{ brandId: ATLAS, role: 'READ_ONLY' }], ATLAS)).toEqual([]);
    expect(visibleStaffActions(ALL, [{ brandId: ATLAS, role: 'COMPLIANCE' }], ATLAS)).toEqual([]);
    expect(visibleStaffActions(ALL, [{ brandId: ATLAS, role: 'MARKETING' }], ATLAS)).toEqual([]);
    expect(visibleStaffActions(ALL, [{ brandId: SAHARA, role: 'ADMIN' }], ATLAS)).toEqual([]);
  });

  it('counts firm-wide grants (no brand) on every brand, and roles held on the brand together', () => {
    expect(visibleStaffActions(ALL, [{ brandId: null, role: 'OWNER' }], ATLAS)).toEqual(ALL);
    const grants = [
      { brandId: ATLAS, role: 'SUPPORT' },
      { brandId: SAHARA, role: 'ADMIN' },
    ];
    expect(visibleStaffActions(ALL, grants, ATLAS)).toEqual(['EXTEND']);
    expect(visibleStaffActions(ALL, grants, SAHARA)).toEqual(ALL);
  });

  it('ignores actions the console does not know', () => {
    expect(visibleStaffActions(['EXTEND', 'REFUND'], [{ brandId: ATLAS, role: 'ADMIN' }], ATLAS)).toEqual(['EXTEND']);
  });

  it('reads the audit trail as owner, admin or compliance only', () => {
    expect(canReadAudit([{ brandId: ATLAS, role: 'ADMIN' }], ATLAS)).toBe(true);
    expect(canReadAudit([{ brandId: ATLAS, role: 'COMPLIANCE' }], ATLAS)).toBe(true);
    expect(canReadAudit([{ brandId: ATLAS, role: 'RISK_MANAGER' }], ATLAS)).toBe(false);
    expect(canReadAudit([{ brandId: SAHARA, role: 'ADMIN' }], ATLAS)).toBe(false);
  });
});

describe('the staff action form', () => {
  const issues = (action: Parameters<typeof staffActionSchema>[1], values: unknown) => {
    const parsed = staffActionSchema(t as never, action).safeParse(values);
    return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
  };

  it('needs a reason to reinstate, fail, close or reset, not to extend or pass', () => {
    for (const action of ['REINSTATE', 'FAIL', 'CLOSE', 'RESET'] as const) {
      expect(issues(action, { reason: '   ', days: '' })).toEqual({ reason: 'staffAction.reasonRequired' });
      expect(issues(action, { reason: 'Platform outage', days: '' })).toEqual({});
    }
    expect(issues('PASS', { reason: '', days: '' })).toEqual({});
    expect(issues('EXTEND', { reason: '', days: 3 })).toEqual({});
  });

  it('takes a whole number of days from 1 to 365 to extend', () => {
    expect(issues('EXTEND', { reason: '', days: 0 })).toEqual({ days: 'staffAction.daysRange' });
    expect(issues('EXTEND', { reason: '', days: 366 })).toEqual({ days: 'staffAction.daysRange' });
    expect(issues('EXTEND', { reason: '', days: 1.5 })).toEqual({ days: 'staffAction.daysRange' });
    expect(issues('EXTEND', { reason: '', days: '' })).toEqual({ days: 'staffAction.daysRange' });
    expect(issues('EXTEND', { reason: '', days: 365 })).toEqual({});
  });

  it('refuses a reason over 500 characters', () => {
    expect(issues('FAIL', { reason: 'x'.repeat(501), days: '' })).toEqual({ reason: 'validation.tooLong' });
  });

  it('starts an extension at a week', () => {
    expect(emptyStaffActionForm('EXTEND')).toEqual({ reason: '', days: 7 });
    expect(emptyStaffActionForm('FAIL')).toEqual({ reason: '', days: '' });
  });

  it('sends the reason trimmed, days only to extend, and the action id it was given', () => {
    expect(toStaffActionVariables('EXTEND', 'a1', 'x1', { reason: ' Outage ', days: 3 })).toEqual({
      accountId: 'a1',
      actionId: 'x1',
      reason: 'Outage',
      days: 3,
    });
    expect(toStaffActionVariables('EXTEND', 'a1', 'x1', { reason: '  ', days: 3 })).toEqual({
      accountId: 'a1',
      actionId: 'x1',
      days: 3,
    });
    expect(toStaffActionVariables('CLOSE', 'a1', 'x2', { reason: 'Fraud', days: 9 })).toEqual({
      accountId: 'a1',
      actionId: 'x2',
      reason: 'Fraud',
    });
  });

  it('makes a new action id each time a dialog opens', () => {
    const a = newActionId();
    const b = newActionId();
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });
});
