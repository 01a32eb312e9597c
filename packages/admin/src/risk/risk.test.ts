import { mapFieldErrors } from '../api/errors';
import type { ExposureFieldsFragment } from '../gql/graphql';
import { exposureBars, symbolRows } from './exposure-model';
import { canWriteRisk, formatDecimal, formatLeverage, formatLevel, worsens } from './format';
import { emptyGroupForm, groupFields, groupSchema, toCreateGroupInput, toUpdateGroupInput } from './group-form';
import { canRollBack, changeSchema, laterView, previewRows, progressPct, toMarginChangeInput } from './margin-change';

const t = (id: string) => id;

describe('risk formats', () => {
  it('writes leverage as 1:N and levels as percent, in the UI language', () => {
    expect(formatLeverage(30, 'en')).toBe('1:30');
    expect(formatLeverage(1000, 'en')).toBe('1:1,000');
    expect(formatLeverage(null, 'en')).toBe('—');
    expect(formatLevel('235.41', 'en')).toBe('235.4%');
    expect(formatLevel('235.41', 'es')).toMatch(/^235,4\s%$/);
    // No margin used: no level.
    expect(formatLevel(null, 'en')).toBe('—');
    expect(formatDecimal('-1.5', 'en')).toBe('-1.5');
    expect(formatDecimal('250000', 'es', 0)).toBe('250.000');
  });

  it('calls a move into margin call or stop-out a worsening, and a recovery not', () => {
    expect(worsens('OK', 'MARGIN_CALL')).toBe(true);
    expect(worsens('NO_MARGIN', 'STOP_OUT')).toBe(true);
    expect(worsens('MARGIN_CALL', 'STOP_OUT')).toBe(true);
    expect(worsens('MARGIN_CALL', 'MARGIN_CALL')).toBe(false);
    expect(worsens('STOP_OUT', 'OK')).toBe(false);
    expect(worsens('NO_MARGIN', 'OK')).toBe(false);
  });

  it('lets owners, admins and risk managers of the brand change risk, nobody else', () => {
    expect(canWriteRisk([{ brandId: 'atlas', role: 'RISK_MANAGER' }], 'atlas')).toBe(true);
    expect(
      canWriteRisk(
        [
          { brandId: 'atlas', role: 'RISK_MANAGER' },
          { brandId: 'sahara', role: 'READ_ONLY' },
        ],
        'sahara',
      ),
    ).toBe(false);
    expect(canWriteRisk([{ brandId: null, role: 'OWNER' }], 'sahara')).toBe(true);
    expect(canWriteRisk([{ brandId: 'atlas', role: 'COMPLIANCE' }], 'atlas')).toBe(false);
    expect(canWriteRisk([{ brandId: 'atlas', role: 'MARKETING' }], 'atlas')).toBe(false);
  });
});

const exposure = {
  symbols: [
    { symbol: 'EURUSD', assetClass: 'FX_MAJOR', value: '120000.5', floatingPnl: '-10' },
    { symbol: 'XAUUSD', assetClass: 'METAL', value: '-300000', floatingPnl: '25' },
    { symbol: 'BTCUSD', assetClass: 'CRYPTO', value: null, floatingPnl: null },
    { symbol: 'GBPUSD', assetClass: 'FX_MAJOR', value: '0', floatingPnl: '0' },
  ],
  assetClasses: [
    { assetClass: 'FX_MAJOR', netValue: '120000.5', grossValue: '150000', floatingPnl: '-10' },
    { assetClass: 'METAL', netValue: '-300000', grossValue: '300000', floatingPnl: '25' },
  ],
} as unknown as ExposureFieldsFragment;

describe('the exposure chart and table', () => {
  it('charts priced symbols by absolute net value, shorts as negative bars', () => {
    expect(exposureBars(exposure, 'symbol').map((b) => [b.key, b.value])).toEqual([
      ['XAUUSD', -300000],
      ['EURUSD', 120000.5],
      ['GBPUSD', 0],
    ]);
    expect(exposureBars(exposure, 'symbol', 1)).toHaveLength(1);
  });

  it('charts asset classes by their net value', () => {
    expect(exposureBars(exposure, 'assetClass').map((b) => [b.key, b.value, b.floatingPnl])).toEqual([
      ['METAL', -300000, 25],
      ['FX_MAJOR', 120000.5, -10],
    ]);
  });

  it('lists symbols largest first and unpriced ones last', () => {
    expect(symbolRows(exposure.symbols).map((s) => s.symbol)).toEqual(['XAUUSD', 'EURUSD', 'GBPUSD', 'BTCUSD']);
  });
});

describe('the risk group form', () => {
  const schema = groupSchema(t as never);

  it('accepts the ESMA retail defaults of a new group', () => {
    expect(schema.safeParse({ ...emptyGroupForm(), name: 'Retail' }).success).toBe(true);
  });

  it('says which fields are wrong: leverage, duplicate overrides, stop-out not under margin call', () => {
    const form = emptyGroupForm();
    const parsed = schema.safeParse({
      ...form,
      name: ' ',
      leverage: { ...form.leverage, FX_MAJOR: 0, CRYPTO: 2.5 },
      symbolLeverage: [
        { symbol: 'XAUUSD', leverage: 20 },
        { symbol: 'xauusd', leverage: 10 },
      ],
      marginCallLevel: '50',
      stopOutLevel: '80',
    });
    const issues = Object.fromEntries((parsed.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
    expect(issues).toEqual({
      name: 'validation.required',
      'leverage.FX_MAJOR': 'risk.validation.leverage',
      'leverage.CRYPTO': 'risk.validation.leverage',
      'symbolLeverage.1.symbol': 'risk.validation.duplicateSymbol',
      stopOutLevel: 'risk.validation.stopOutBelow',
    });
  });

  it("puts the API's field paths on the matching inputs, override rows included", () => {
    const { fieldErrors, formErrors } = mapFieldErrors(
      [
        {
          code: 'BAD_USER_INPUT',
          message: 'Invalid',
          fields: [
            { path: ['input', 'leverage', 'FX_MAJOR'], message: 'Leverage must be at least 1' },
            { path: ['input', 'symbolLeverage', '1', 'leverage'], message: 'Leverage must be at most 10000' },
            { path: ['input', 'name'], message: 'Another risk group of this brand has this name' },
          ],
        },
        { code: 'FORBIDDEN', message: 'Not allowed', fields: [] },
      ],
      groupFields(2),
    );
    expect(fieldErrors).toEqual({
      'leverage.FX_MAJOR': 'Leverage must be at least 1',
      'symbolLeverage.1.leverage': 'Leverage must be at most 10000',
      name: 'Another risk group of this brand has this name',
    });
    expect(formErrors).toEqual([{ code: 'FORBIDDEN', message: 'Not allowed' }]);
  });

  it('sends trimmed, upper-case symbols and leaves an empty platform group to the API', () => {
    const input = toCreateGroupInput('b1', {
      ...emptyGroupForm(),
      name: ' Pro ',
      symbolLeverage: [{ symbol: ' xagusd ', leverage: 5 }],
    });
    expect(input).toMatchObject({ brandId: 'b1', name: 'Pro', symbolLeverage: [{ symbol: 'XAGUSD', leverage: 5 }] });
    expect(input.platformGroup).toBeUndefined();
    expect(toUpdateGroupInput({ ...emptyGroupForm(), name: 'Pro', platformGroup: ' demo\\pro ' }).platformGroup).toBe(
      'demo\\pro',
    );
  });
});

describe('the margin change wizard', () => {
  const schema = changeSchema(t as never);

  it('asks for an asset class or symbols and a whole leverage', () => {
    const parsed = schema.safeParse({ target: 'symbols', assetClass: '', symbols: [], leverage: '', riskGroupIds: [] });
    const issues = Object.fromEntries((parsed.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
    expect(issues).toEqual({ symbols: 'risk.change.chooseSymbols', leverage: 'risk.validation.leverage' });
    expect(
      schema.safeParse({ target: 'assetClass', assetClass: 'FX_MAJOR', symbols: [], leverage: 10, riskGroupIds: [] })
        .success,
    ).toBe(true);
  });

  it('sends either the class or the symbols, and no groups for "all of the brand"', () => {
    expect(
      toMarginChangeInput('b1', {
        target: 'assetClass',
        assetClass: 'FX_MAJOR',
        symbols: ['EURUSD'],
        leverage: 10,
        riskGroupIds: [],
      }),
    ).toEqual({ brandId: 'b1', assetClass: 'FX_MAJOR', leverage: 10, riskGroupIds: null });
    expect(
      toMarginChangeInput('b1', {
        target: 'symbols',
        assetClass: 'METAL',
        symbols: ['XAUUSD'],
        leverage: 5,
        riskGroupIds: ['g1'],
      }),
    ).toEqual({ brandId: 'b1', symbols: ['XAUUSD'], leverage: 5, riskGroupIds: ['g1'] });
  });

  it('lists the accounts that fall into stop-out first, then into margin call, then the rest', () => {
    const row = (login: string, statusBefore: string, statusAfter: string) =>
      ({ login, statusBefore, statusAfter }) as never;
    const rows = previewRows([
      row('1003', 'OK', 'OK'),
      row('1010', 'OK', 'MARGIN_CALL'),
      row('1002', 'MARGIN_CALL', 'MARGIN_CALL'),
      row('1004', 'OK', 'STOP_OUT'),
      row('1001', 'OK', 'MARGIN_CALL'),
    ]);
    expect(rows.map((r) => r.login)).toEqual(['1004', '1001', '1010', '1002', '1003']);
  });

  it('counts progress from pushed and refused accounts', () => {
    expect(progressPct({ total: 4, done: 1, failed: 1, finished: false })).toBe(50);
    expect(progressPct({ total: 0, done: 0, failed: 0, finished: true })).toBe(100);
    expect(progressPct({ total: 0, done: 0, failed: 0, finished: false })).toBe(0);
  });

  it('never lets a late answer move progress backwards', () => {
    const at = (done: number, finished = false, rolledBackBy: string | null = null) => ({
      done,
      failed: 0,
      finished,
      rolledBackBy,
    });
    expect(laterView(at(3), at(1))).toEqual(at(3));
    expect(laterView(at(1), at(3))).toEqual(at(3));
    expect(laterView(at(3), at(3, true))).toEqual(at(3, true));
    expect(laterView(at(3, true), at(3, true, 'r1'))).toEqual(at(3, true, 'r1'));
    expect(laterView(undefined, at(2))).toEqual(at(2));
  });

  it('offers a rollback once, and never of a rollback', () => {
    expect(canRollBack({ rollbackOf: null, rolledBackBy: null })).toBe(true);
    expect(canRollBack({ rollbackOf: null, rolledBackBy: 'c2' })).toBe(false);
    expect(canRollBack({ rollbackOf: 'c1', rolledBackBy: null })).toBe(false);
  });
});
