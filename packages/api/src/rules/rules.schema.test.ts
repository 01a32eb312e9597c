import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createPhaseState } from './engine';
import {
  DAILY_LOSS_REFERENCES,
  MAX_LOSS_MODES,
  type ParsePhaseRulesOptions,
  parsePhaseRules,
  RuleConfigError,
  type RuleConfigIssue,
} from './rules.schema';

const GOLDEN_DIR = resolve(__dirname, '../../../../../shared/golden');

/** The issues `parsePhaseRules` reports for `input` (fails the test if it does not throw). */
function issuesOf(input: unknown, options?: ParsePhaseRulesOptions): RuleConfigIssue[] {
  try {
    parsePhaseRules(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleConfigError);
    return (error as RuleConfigError).issues;
  }
  throw new Error('expected the rules to be rejected');
}

const FTMO = {
  dayReset: { timeZone: 'Europe/Prague', localTime: '00:00' },
  breachComparison: 'BELOW',
  dailyLoss: { pct: '5', reference: 'BALANCE', of: 'INITIAL' },
  maxLoss: { pct: '10', mode: 'STATIC', lockAt: null },
  profitTarget: { pct: '10', requireFlat: true },
  minTradingDays: 4,
  maxTradingDays: null,
  consistency: null,
  minProfitableDays: null,
  passAt: 'EVENT',
};

describe('parsePhaseRules: accepted input', () => {
  it('parses the rules of every golden scenario', () => {
    const files = readdirSync(GOLDEN_DIR).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const { rules } = JSON.parse(readFileSync(join(GOLDEN_DIR, name), 'utf8'));
      expect(() => parsePhaseRules(rules)).not.toThrow();
    }
  });

  it('normalises FTMO rules with every default filled in', () => {
    expect(parsePhaseRules(FTMO)).toEqual({
      dayReset: { timeZone: 'Europe/Prague', localTime: '00:00' },
      breachComparison: 'BELOW',
      dailyLoss: { pct: '5', amount: null, reference: 'BALANCE', of: 'INITIAL', action: 'HARD' },
      maxLoss: { pct: '10', amount: null, mode: 'STATIC', lockAt: null },
      maxLossPerTrade: null,
      profitTarget: { pct: '10', requireFlat: true, measure: 'BALANCE' },
      minTradingDays: 4,
      maxTradingDays: null,
      maxDays: null,
      maxInactiveDays: null,
      tradingDay: 'OPEN',
      consistency: null,
      minProfitableDays: null,
      passAt: 'EVENT',
    });
  });

  it('treats missing keys as off or as the rules.md default', () => {
    const rules = parsePhaseRules({ dailyLoss: { pct: 5 }, consistency: { maxBestDayPct: 50 } });
    expect(rules.dayReset).toEqual({ timeZone: 'Europe/Prague', localTime: '00:00' });
    expect(rules.minTradingDays).toBe(0);
    expect(rules.maxLoss).toBeNull();
    expect(rules.profitTarget).toBeNull();
    expect(rules.dailyLoss).toEqual({ pct: '5', amount: null, reference: 'BALANCE', of: 'INITIAL', action: 'HARD' });
    expect(rules.consistency).toEqual({
      maxBestDayPct: '50',
      denominator: 'NET_PROFIT',
      comparison: 'AT_MOST',
      basis: 'DAY',
    });
  });

  it('accepts numbers for decimals and returns strings', () => {
    const rules = parsePhaseRules({ maxLoss: { amount: 2500.5, mode: 'TRAILING_EOD', lockAt: 0 } });
    expect(rules.maxLoss).toEqual({ pct: null, amount: '2500.5', mode: 'TRAILING_EOD', lockAt: '0' });
  });

  it('is idempotent on its own output', () => {
    const once = parsePhaseRules(FTMO);
    expect(parsePhaseRules(once)).toEqual(once);
    expect(parsePhaseRules(once, { mode: 'designer' })).toEqual(once);
  });

  it('exports the value lists for the designer', () => {
    expect(DAILY_LOSS_REFERENCES).toEqual(['BALANCE', 'MAX_BALANCE_EQUITY', 'DAY_HIGH']);
    expect(MAX_LOSS_MODES).toContain('TRAILING_CLOSED_BALANCE');
  });
});

describe('parsePhaseRules: rejected input, with field paths', () => {
  it.each<[string, unknown, string[], string]>([
    ['pct and amount', { dailyLoss: { pct: '5', amount: '1000' } }, ['dailyLoss', 'amount'], 'not both'],
    ['neither pct nor amount', { maxLoss: { mode: 'STATIC' } }, ['maxLoss', 'pct'], 'Give a pct or an amount'],
    ['a zero percentage', { dailyLoss: { pct: '0' } }, ['dailyLoss', 'pct'], 'above 0 and at most 100'],
    ['a percentage over 100', { profitTarget: { pct: '100.01' } }, ['profitTarget', 'pct'], 'at most 100'],
    ['a negative amount', { maxLoss: { amount: '-5' } }, ['maxLoss', 'amount'], 'above 0'],
    ['a non-decimal', { dailyLoss: { pct: '5%' } }, ['dailyLoss', 'pct'], 'decimal number'],
    ['an exponent', { dailyLoss: { pct: 1e-10 } }, ['dailyLoss', 'pct'], 'decimal number'],
    ['a boolean decimal', { dailyLoss: { pct: true } }, ['dailyLoss', 'pct'], 'decimal number'],
    ['an unknown zone', { dayReset: { timeZone: 'Mars/Olympus' } }, ['dayReset', 'timeZone'], 'IANA time zone'],
    ['24:00', { dayReset: { localTime: '24:00' } }, ['dayReset', 'localTime'], 'HH:mm'],
    ['7:00', { dayReset: { localTime: '7:00' } }, ['dayReset', 'localTime'], 'HH:mm'],
    [
      'an unknown reference',
      { dailyLoss: { pct: '5', reference: 'EQUITY' } },
      ['dailyLoss', 'reference'],
      'Must be one of BALANCE, MAX_BALANCE_EQUITY, DAY_HIGH',
    ],
    ['an unknown mode', { maxLoss: { pct: '5', mode: 'TRAILING' } }, ['maxLoss', 'mode'], 'Must be one of'],
    [
      'lowercase action',
      { maxLossPerTrade: { pct: '1', action: 'soft' } },
      ['maxLossPerTrade', 'action'],
      'HARD, SOFT',
    ],
    ['a fractional day count', { minTradingDays: 1.5 }, ['minTradingDays'], 'whole number'],
    ['a negative day count', { minTradingDays: -1 }, ['minTradingDays'], 'whole number'],
    ['zero maxDays', { maxDays: 0 }, ['maxDays'], 'at least 1'],
    ['consistency at 0 %', { consistency: { maxBestDayPct: '0' } }, ['consistency', 'maxBestDayPct'], 'above 0'],
    [
      'consistency over 100 %',
      { consistency: { maxBestDayPct: '150' } },
      ['consistency', 'maxBestDayPct'],
      'at most 100',
    ],
    [
      'no profitable-day count',
      { minProfitableDays: { minPctOfInitial: '0.5' } },
      ['minProfitableDays', 'count'],
      'whole number',
    ],
    [
      'requireFlat as a string',
      { profitTarget: { pct: '10', requireFlat: 'yes' } },
      ['profitTarget', 'requireFlat'],
      'true or false',
    ],
  ])('rejects %s', (_case, input, path, message) => {
    const issues = issuesOf(input);
    expect(issues).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it('reports every problem at once', () => {
    const issues = issuesOf({ dailyLoss: { pct: '0' }, dayReset: { localTime: 'noon' }, passAt: 'LATER' });
    expect(issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'dailyLoss.pct',
      'dayReset.localTime',
      'passAt',
    ]);
  });

  it('is a typed error with a readable message', () => {
    try {
      parsePhaseRules({ dailyLoss: { pct: '0' } });
      throw new Error('not rejected');
    } catch (error) {
      expect(error).toBeInstanceOf(RuleConfigError);
      expect((error as RuleConfigError).code).toBe('RULE_CONFIG_INVALID');
      expect((error as RuleConfigError).message).toBe(
        'Invalid phase rules: dailyLoss.pct: Must be a percentage above 0 and at most 100',
      );
    }
  });
});

describe('parsePhaseRules: designer checks', () => {
  const designer = { mode: 'designer' } as const;

  it('rejects a daily loss that is not smaller than the max loss (pct or amount)', () => {
    const pct = { ...FTMO, dailyLoss: { pct: '10' }, maxLoss: { pct: '10' } };
    expect(issuesOf(pct, designer)).toEqual([
      { path: ['dailyLoss', 'pct'], message: 'The daily loss (10%) must be smaller than the maximum loss (10%)' },
    ]);
    const amount = { ...FTMO, dailyLoss: { amount: '3000.00' }, maxLoss: { amount: '2500.00' } };
    expect(issuesOf(amount, designer)[0].path).toEqual(['dailyLoss', 'amount']);
    // Mixed pct and amount depend on the balance: not compared.
    expect(() => parsePhaseRules({ ...FTMO, dailyLoss: { amount: '9000' } }, designer)).not.toThrow();
  });

  it('rejects more minimum trading days than the maximum or the calendar allows', () => {
    expect(issuesOf({ ...FTMO, minTradingDays: 4, maxTradingDays: 3 }, designer)).toEqual([
      {
        path: ['minTradingDays'],
        message: 'The minimum trading days (4) cannot exceed the maximum trading days (3)',
      },
    ]);
    expect(issuesOf({ ...FTMO, minTradingDays: 4, maxDays: 3 }, designer)[0].path).toEqual(['minTradingDays']);
  });

  it('rejects lockAt on a static max loss', () => {
    expect(issuesOf({ ...FTMO, maxLoss: { pct: '10', mode: 'STATIC', lockAt: '0' } }, designer)).toEqual([
      { path: ['maxLoss', 'lockAt'], message: expect.stringContaining('only to a trailing maximum loss') },
    ]);
  });

  it('reports misspelt keys, at the object that holds them', () => {
    const issues = issuesOf({ ...FTMO, minTradingDay: 4, dailyLoss: { pct: '5', refrence: 'BALANCE' } }, designer);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: [], message: expect.stringContaining("'minTradingDay'") },
        { path: ['dailyLoss'], message: expect.stringContaining("'refrence'") },
      ]),
    );
  });

  it('leaves all of these to the engine as recorded (golden 24 runs min 4 with max 3)', () => {
    const recorded = {
      ...FTMO,
      minTradingDays: 4,
      maxTradingDays: 3,
      maxLoss: { pct: '10', mode: 'STATIC', lockAt: '0' },
      extra: 'ignored',
    };
    expect(() => parsePhaseRules(recorded)).not.toThrow();
  });
});

describe('rules against the account currency', () => {
  it('rejects an amount finer than the currency minor unit, with its path', () => {
    const rules = parsePhaseRules({ maxLoss: { amount: '2500.50' } });
    expect(() => createPhaseState(rules, { initialBalance: '1000000', currency: 'JPY' })).toThrow(
      expect.objectContaining({ issues: [{ path: ['maxLoss', 'amount'], message: expect.stringContaining('JPY') }] }),
    );
  });

  it('rejects a bad initial balance or currency', () => {
    const rules = parsePhaseRules(FTMO);
    expect(() => createPhaseState(rules, { initialBalance: '0', currency: 'USD' })).toThrow(RuleConfigError);
    expect(() => createPhaseState(rules, { initialBalance: '100', currency: 'usd' })).toThrow(RuleConfigError);
  });
});
