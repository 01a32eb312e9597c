import type { PlanVersionFieldsFragment } from '../gql/graphql';
import type { Translate } from '../i18n/LocaleProvider';
import {
  blankPlanInput,
  formToInput,
  newPhase,
  type PlanForm,
  phaseIndexOf,
  placePlanErrors,
  planFieldForPath,
  planLocales,
  planSchema,
  tabOf,
  versionToForm,
} from './plan-form';

const t: Translate = (id) => id;
const brand = { locales: ['en', 'es', 'ar'], defaultLocale: 'en', currency: 'USD', timeZone: 'Europe/Prague' };

const ftmo: PlanVersionFieldsFragment = {
  id: 'v1',
  number: 1,
  status: 'PUBLISHED',
  createdAt: '2025-01-01T00:00:00.000Z',
  publishedAt: '2025-01-01T00:00:00.000Z',
  kind: 'TWO_STEP',
  platform: 'SIMULATOR',
  riskGroupId: null,
  names: [
    { locale: 'en', text: 'Classic 2-Step' },
    { locale: 'es', text: 'Clásico' },
  ],
  descriptions: [{ locale: 'en', text: 'Reach 10 %.' }],
  sizes: [
    {
      id: 's1',
      balance: '10000.00',
      price: '155.00',
      currency: 'USD',
      overrides: [{ phaseId: 'p3', field: 'DAILY_LOSS_AMOUNT', amount: '400.00' }],
    },
  ],
  phases: [
    {
      id: 'p1',
      name: 'Challenge',
      kind: 'EVALUATION',
      advance: 'AUTOMATIC',
      warningThresholds: [50, 80, 95],
      rules: {
        dayReset: { timeZone: 'Europe/Prague', localTime: '00:00' },
        breachComparison: 'BELOW',
        dailyLoss: { pct: '5', amount: null, reference: 'BALANCE', of: 'INITIAL', action: 'HARD' },
        maxLoss: { pct: null, amount: '1000.00', mode: 'TRAILING_EOD', lockAt: '0.00' },
        maxLossPerTrade: null,
        profitTarget: { pct: '10', requireFlat: true, measure: 'BALANCE' },
        minTradingDays: 4,
        maxTradingDays: null,
        maxDays: 30,
        maxInactiveDays: null,
        tradingDay: 'OPEN',
        consistency: { maxBestDayPct: '30', denominator: 'NET_PROFIT', comparison: 'AT_MOST', basis: 'DAY' },
        minProfitableDays: null,
        passAt: 'EVENT',
      },
      funded: null,
    },
    {
      id: 'p3',
      name: 'Funded',
      kind: 'FUNDED',
      advance: 'TRADER_CONFIRMS',
      warningThresholds: [80],
      rules: {
        dayReset: { timeZone: 'Europe/Prague', localTime: '00:00' },
        breachComparison: 'AT_OR_BELOW',
        dailyLoss: { pct: null, amount: '500.00', reference: 'DAY_HIGH', of: 'INITIAL', action: 'SOFT' },
        maxLoss: { pct: '10', amount: null, mode: 'STATIC', lockAt: null },
        maxLossPerTrade: { pct: '2', amount: null, action: 'SOFT' },
        profitTarget: null,
        minTradingDays: 0,
        maxTradingDays: null,
        maxDays: null,
        maxInactiveDays: 30,
        tradingDay: 'ANY_DEAL',
        consistency: null,
        minProfitableDays: { count: 3, minPctOfInitial: '0.5' },
        passAt: 'NEXT_RESET',
      },
      funded: {
        profitSplit: [
          { upTo: '25000.00', pct: '100' },
          { upTo: null, pct: '90' },
        ],
        payout: { firstAfterDays: 14, everyDays: 7, minAmount: '50.00' },
      },
    },
  ],
};

describe('plan form ↔ PlanInput', () => {
  it('round-trips every field of a version, ids kept', () => {
    const form = versionToForm(ftmo, brand);
    const input = formToInput(form, planLocales(brand, ftmo));
    expect(input).toEqual({
      names: ftmo.names,
      descriptions: ftmo.descriptions,
      kind: 'TWO_STEP',
      platform: 'SIMULATOR',
      riskGroupId: null,
      sizes: ftmo.sizes,
      phases: ftmo.phases.map((p) => ({ ...p, funded: p.funded ?? null })),
    });
  });

  it('shows a rule that is off as a switch that is off, with defaults ready', () => {
    const form = versionToForm(ftmo, brand);
    expect(form.names).toEqual({ en: 'Classic 2-Step', es: 'Clásico', ar: '' });
    const challenge = form.phases[0]!.rules;
    expect(challenge.maxLossPerTrade.enabled).toBe(false);
    expect(challenge.maxLoss).toMatchObject({ basis: 'amount', value: '1000.00', lockAtEnabled: true, lockAt: '0.00' });
    expect(challenge.maxTradingDays).toEqual({ enabled: false, value: '' });
    expect(challenge.maxDays).toEqual({ enabled: true, value: '30' });
    expect(form.phases[1]!.rules.profitTarget.enabled).toBe(false);
    expect(form.phases[1]!.funded.profitSplit).toEqual([
      { upTo: '25000.00', pct: '100' },
      { upTo: '', pct: '90' },
    ]);
  });

  it('sends null for every rule switched off and for funded terms of a non-funded phase', () => {
    const form: PlanForm = versionToForm(ftmo, brand);
    const challenge = form.phases[0]!;
    challenge.rules.dailyLoss.enabled = false;
    challenge.rules.consistency.enabled = false;
    challenge.rules.maxDays.enabled = false;
    challenge.rules.maxLoss.lockAtEnabled = false;
    challenge.rules.maxLoss.basis = 'pct';
    challenge.rules.maxLoss.value = ' 10 ';
    const rules = formToInput(form, brand.locales).phases[0]!.rules;
    expect(rules).toMatchObject({
      dailyLoss: null,
      consistency: null,
      maxDays: null,
      maxLoss: { pct: '10', amount: null, mode: 'TRAILING_EOD', lockAt: null },
    });
    expect(formToInput(form, brand.locales).phases[0]!.funded).toBeNull();
  });

  it('drops empty texts and overrides of removed phases', () => {
    const form = versionToForm(ftmo, brand);
    form.names.es = '  ';
    form.phases = form.phases.slice(0, 1);
    const input = formToInput(form, brand.locales);
    expect(input.names).toEqual([{ locale: 'en', text: 'Classic 2-Step' }]);
    expect(input.sizes[0]!.overrides).toEqual([]);
  });

  it('gives a new phase the brand time zone and an id', () => {
    const phase = newPhase({ timeZone: 'Asia/Dubai' }, 'VERIFICATION', 'Check');
    expect(phase.rules.dayReset).toEqual({ timeZone: 'Asia/Dubai', localTime: '00:00' });
    expect(phase.rules.profitTarget).toMatchObject({ enabled: true, pct: '5' });
    expect(phase.id).toMatch(/\w+/);
    expect(newPhase({ timeZone: 'UTC' }, 'FUNDED', 'F').rules.profitTarget.enabled).toBe(false);
  });

  it('builds a blank plan in the brand default language and currency', () => {
    const input = blankPlanInput(
      { ...brand, defaultLocale: 'ar', currency: 'AED', timeZone: 'Asia/Dubai' },
      { plan: 'خطة', evaluation: 'E', funded: 'F' },
    );
    expect(input.names).toEqual([{ locale: 'ar', text: 'خطة' }]);
    expect(input.sizes[0]).toMatchObject({ balance: '10000.00', currency: 'AED', overrides: [] });
    expect(input.phases.map((p) => [p.kind, p.rules.dayReset.timeZone, p.funded ? 'terms' : null])).toEqual([
      ['EVALUATION', 'Asia/Dubai', null],
      ['FUNDED', 'Asia/Dubai', 'terms'],
    ]);
  });
});

describe('client checks', () => {
  const issues = (form: PlanForm) => {
    const result = planSchema(t).safeParse(form);
    return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
  };

  it('accepts a loaded version', () => {
    expect(issues(versionToForm(ftmo, brand))).toEqual({});
  });

  it('checks only the fields of rules that are on', () => {
    const form = versionToForm(ftmo, brand);
    form.phases[0]!.rules.dailyLoss.value = 'five';
    form.phases[0]!.rules.maxLossPerTrade.value = 'ignored while off';
    form.phases[1]!.funded.payout.everyDays = '1.5';
    form.sizes[0]!.currency = 'dollars';
    form.names = { en: '', es: ' ' };
    expect(issues(form)).toEqual({
      'phases.0.rules.dailyLoss.value': 'validation.decimal',
      'phases.1.funded.payout.everyDays': 'validation.wholeNumber',
      'sizes.0.currency': 'validation.currency',
      'names.en': 'validation.planName',
    });
  });

  it('leaves cross-rule checks to the API', () => {
    const form = versionToForm(ftmo, brand);
    form.phases[0]!.rules.dailyLoss.value = '12';
    expect(issues(form)).toEqual({});
  });
});

describe('API field errors → form fields', () => {
  const input = formToInput(versionToForm(ftmo, brand), brand.locales);
  const field = (...path: string[]) => planFieldForPath(['input', ...path], input);

  it('puts rule problems on the inputs that show them', () => {
    expect(field('phases', '0', 'rules', 'dailyLoss', 'pct')).toBe('phases.0.rules.dailyLoss.value');
    expect(field('phases', '1', 'rules', 'dailyLoss', 'amount')).toBe('phases.1.rules.dailyLoss.value');
    expect(field('phases', '0', 'rules', 'maxLoss', 'lockAt')).toBe('phases.0.rules.maxLoss.lockAt');
    expect(field('phases', '0', 'rules', 'maxDays')).toBe('phases.0.rules.maxDays.value');
    expect(field('phases', '0', 'rules', 'minTradingDays')).toBe('phases.0.rules.minTradingDays');
    expect(field('phases', '0', 'rules', 'dayReset', 'timeZone')).toBe('phases.0.rules.dayReset.timeZone');
    expect(field('phases', '0', 'rules', 'profitTarget')).toBe('phases.0.rules.profitTarget.enabled');
    expect(field('phases', '0', 'rules', 'consistency', 'maxBestDayPct')).toBe(
      'phases.0.rules.consistency.maxBestDayPct',
    );
    expect(field('phases', '1', 'kind')).toBe('phases.1.kind');
    expect(field('phases', '1', 'warningThresholds', '2')).toBe('phases.1.warningThresholds');
  });

  it('places funded terms, sizes, texts and list-level problems', () => {
    expect(field('phases', '1', 'funded', 'profitSplit', '1', 'upTo')).toBe('phases.1.funded.profitSplit.1.upTo');
    expect(field('phases', '1', 'funded', 'profitSplit')).toBe('phases.1.funded.profitSplitError');
    expect(field('phases', '1', 'funded')).toBe('phases.1.funded.error');
    expect(field('phases', '1', 'funded', 'payout', 'minAmount')).toBe('phases.1.funded.payout.minAmount');
    expect(field('sizes', '0', 'currency')).toBe('sizes.0.currency');
    expect(field('sizes', '0', 'overrides', '0', 'field')).toBe('sizes.0.overrides.0.field');
    expect(field('sizes')).toBe('sizesError');
    expect(field('phases')).toBe('phasesError');
    // names[1] of what was sent is Spanish.
    expect(field('names', '1', 'text')).toBe('names.es');
    expect(field('names')).toBe('namesError');
    expect(field('riskGroupId')).toBe('riskGroupId');
    expect(planFieldForPath(['phaseIds'], input)).toBeNull();
  });

  it('joins several messages on one field and keeps the rest at form level', () => {
    const placed = placePlanErrors(
      [
        {
          message: 'x',
          fields: [
            {
              path: ['input', 'phases', '0', 'rules', 'dailyLoss', 'pct'],
              message: 'The daily loss (12%) must be smaller than the maximum loss (10%)',
            },
            { path: ['input', 'phases', '0', 'rules', 'dailyLoss', 'amount'], message: 'Give either pct or amount' },
            { path: ['input', 'somethingNew'], message: 'is odd' },
          ],
        },
        { message: 'You are not allowed to do this', fields: [] },
      ],
      input,
    );
    expect(placed.fields).toEqual({
      'phases.0.rules.dailyLoss.value':
        'The daily loss (12%) must be smaller than the maximum loss (10%); Give either pct or amount',
    });
    expect(placed.form).toEqual(['somethingNew: is odd', 'You are not allowed to do this']);
  });

  it('knows which tab and phase a field is on', () => {
    expect(phaseIndexOf('phases.2.rules.dailyLoss.value')).toBe(2);
    expect(phaseIndexOf('sizes.0.balance')).toBeNull();
    expect(tabOf('phases.0.name')).toBe('phases');
    expect(tabOf('phasesError')).toBe('phases');
    expect(tabOf('sizes.1.price')).toBe('sizes');
    expect(tabOf('names.es')).toBe('details');
  });
});
