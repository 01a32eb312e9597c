/**
 * The `rules` object of a challenge phase: one zod schema shared by the engine, the plan designer
 * (field-level validation in the admin console) and the presets.
 *
 * Input is the golden-scenario format (see shared/golden/README.md and shared/design/rules.md).
 * A missing or null rule is off; a missing or null field inside a rule takes the default that
 * rules.md gives. Decimals may arrive as strings or numbers and leave as strings.
 * The output (`PhaseRules`) is fully normalised: every key present, nulls for rules that are off.
 */
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { compareProducts, decimalText, parseDecimal, type Ratio } from './money';

// ----- value lists (exported for selects in the admin UI) -----

export const BREACH_COMPARISONS = ['BELOW', 'AT_OR_BELOW'] as const;
export const BREACH_ACTIONS = ['HARD', 'SOFT'] as const;
export const DAILY_LOSS_REFERENCES = ['BALANCE', 'MAX_BALANCE_EQUITY', 'DAY_HIGH'] as const;
export const DAILY_LOSS_OF = ['INITIAL', 'REFERENCE'] as const;
export const MAX_LOSS_MODES = ['STATIC', 'TRAILING_EOD', 'TRAILING_INTRADAY', 'TRAILING_CLOSED_BALANCE'] as const;
export const TRAILING_MAX_LOSS_MODES = ['TRAILING_EOD', 'TRAILING_INTRADAY', 'TRAILING_CLOSED_BALANCE'] as const;
export const PROFIT_TARGET_MEASURES = ['BALANCE', 'EQUITY'] as const;
export const TRADING_DAY_KINDS = ['OPEN', 'ANY_DEAL'] as const;
export const CONSISTENCY_DENOMINATORS = ['NET_PROFIT', 'POSITIVE_DAYS'] as const;
export const CONSISTENCY_COMPARISONS = ['AT_MOST', 'BELOW'] as const;
export const CONSISTENCY_BASES = ['DAY', 'TRADE'] as const;
export const PASS_AT = ['EVENT', 'NEXT_RESET'] as const;

export type BreachComparison = (typeof BREACH_COMPARISONS)[number];
export type BreachAction = (typeof BREACH_ACTIONS)[number];
export type DailyLossReference = (typeof DAILY_LOSS_REFERENCES)[number];
export type DailyLossOf = (typeof DAILY_LOSS_OF)[number];
export type MaxLossMode = (typeof MAX_LOSS_MODES)[number];
export type ProfitTargetMeasure = (typeof PROFIT_TARGET_MEASURES)[number];
export type TradingDayKind = (typeof TRADING_DAY_KINDS)[number];
export type ConsistencyDenominator = (typeof CONSISTENCY_DENOMINATORS)[number];
export type ConsistencyComparison = (typeof CONSISTENCY_COMPARISONS)[number];
export type ConsistencyBasis = (typeof CONSISTENCY_BASES)[number];
export type PassAt = (typeof PASS_AT)[number];

// ----- normalised output -----

export interface DayReset {
  /** IANA zone of the reset, e.g. "Europe/Prague". */
  timeZone: string;
  /** Local wall-clock time of the reset, "HH:mm". */
  localTime: string;
}

/** Exactly one of `pct` and `amount` is set. */
export interface DailyLossRule {
  pct: string | null;
  amount: string | null;
  reference: DailyLossReference;
  /** Ignored when `amount` is given. */
  of: DailyLossOf;
  action: BreachAction;
}

/** Exactly one of `pct` (of the initial balance) and `amount` is set. */
export interface MaxLossRule {
  pct: string | null;
  amount: string | null;
  mode: MaxLossMode;
  /** An amount over the initial balance at which a trailing floor stops; only with trailing modes. */
  lockAt: string | null;
}

/** Exactly one of `pct` (of the initial balance) and `amount` is set. */
export interface MaxLossPerTradeRule {
  pct: string | null;
  amount: string | null;
  action: BreachAction;
}

export interface ProfitTargetRule {
  /** Percentage of the initial balance. */
  pct: string;
  requireFlat: boolean;
  measure: ProfitTargetMeasure;
}

export interface ConsistencyRule {
  maxBestDayPct: string;
  denominator: ConsistencyDenominator;
  comparison: ConsistencyComparison;
  basis: ConsistencyBasis;
}

export interface MinProfitableDaysRule {
  count: number;
  minPctOfInitial: string;
}

export interface PhaseRules {
  dayReset: DayReset;
  breachComparison: BreachComparison;
  dailyLoss: DailyLossRule | null;
  maxLoss: MaxLossRule | null;
  maxLossPerTrade: MaxLossPerTradeRule | null;
  profitTarget: ProfitTargetRule | null;
  /** 0 when off. */
  minTradingDays: number;
  maxTradingDays: number | null;
  maxDays: number | null;
  maxInactiveDays: number | null;
  tradingDay: TradingDayKind;
  consistency: ConsistencyRule | null;
  minProfitableDays: MinProfitableDaysRule | null;
  passAt: PassAt;
}

/** The defaults of rules.md (FTMO-style 2-step), for fields left out. */
export const PHASE_RULE_DEFAULTS = {
  dayReset: { timeZone: 'Europe/Prague', localTime: '00:00' },
  breachComparison: 'BELOW',
  dailyLoss: { reference: 'BALANCE', of: 'INITIAL', action: 'HARD' },
  maxLoss: { mode: 'STATIC', lockAt: null },
  maxLossPerTrade: { action: 'HARD' },
  profitTarget: { requireFlat: true, measure: 'BALANCE' },
  minTradingDays: 0,
  tradingDay: 'OPEN',
  consistency: { denominator: 'NET_PROFIT', comparison: 'AT_MOST', basis: 'DAY' },
  minProfitableDays: { minPctOfInitial: '0' },
  passAt: 'EVENT',
} as const;

// ----- errors -----

export interface RuleConfigIssue {
  /** Field path as zod reports it, e.g. ["dailyLoss", "pct"]; [] for the whole object. */
  path: string[];
  message: string;
}

/** Invalid phase rules; `issues` carries one entry per problem with its field path. */
export class RuleConfigError extends Error {
  readonly code = 'RULE_CONFIG_INVALID';
  readonly issues: RuleConfigIssue[];
  constructor(issues: RuleConfigIssue[]) {
    const summary = issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(rules)'}: ${issue.message}`)
      .join('; ');
    super(`Invalid phase rules: ${summary}`);
    this.name = 'RuleConfigError';
    this.issues = issues;
  }
}

// ----- field schemas -----

const NOT_A_DECIMAL = 'Must be a decimal number such as "5" or "2500.00"';

/** A decimal given as a string or a number, checked, and normalised to a string. */
function decimalField(inRange: (value: Ratio) => boolean, rangeMessage: string) {
  const typeMessage: z.ZodErrorMap = (_issue, ctx) => ({
    message: ctx.data === undefined ? `Required: ${NOT_A_DECIMAL}` : NOT_A_DECIMAL,
  });
  return z.union([z.string(), z.number()], { errorMap: typeMessage }).transform((raw, ctx) => {
    let text: string;
    let value: Ratio;
    try {
      text = decimalText(raw).replace(/^\+/, '');
      value = parseDecimal(text);
    } catch (error) {
      const detail = error instanceof Error ? ` (${error.message})` : '';
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${NOT_A_DECIMAL}${detail}` });
      return z.NEVER;
    }
    if (!inRange(value)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: rangeMessage });
      return z.NEVER;
    }
    return text;
  });
}

const isPositive = (r: Ratio) => r.num > 0;
const atMostHundred = (r: Ratio) => r.num <= 100 * r.den;

/** A percentage in (0, 100]. */
const percentField = () =>
  decimalField((r) => isPositive(r) && atMostHundred(r), 'Must be a percentage above 0 and at most 100');
/** A percentage in [0, 100]. */
const optionalPercentField = () =>
  decimalField((r) => r.num >= 0 && atMostHundred(r), 'Must be a percentage from 0 to 100');
/** An amount of money above zero. */
const amountField = () => decimalField(isPositive, 'Must be an amount above 0');
/** An amount of money, zero or more. */
const nonNegativeAmountField = () => decimalField((r) => r.num >= 0, 'Must be an amount of 0 or more');

/** One of `values`; missing or null gives `fallback`. */
function choice<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return z
    .enum(values, { errorMap: () => ({ message: `Must be one of ${values.join(', ')}` }) })
    .nullish()
    .transform((value): T[number] => value ?? fallback);
}

function wholeNumber(min: number, unit: string) {
  const message = `Must be a whole number of ${unit}, at least ${min}`;
  return z
    .number({ invalid_type_error: message, required_error: `Required: ${message}` })
    .int(message)
    .min(min, message);
}

/** A count that is off when missing or null. */
const optionalCount = (min: number, unit: string) =>
  wholeNumber(min, unit)
    .nullish()
    .transform((value) => value ?? null);

function isValidTimeZone(zone: string): boolean {
  // IANAZone.isValidZone accepts any zone Intl knows; "UTC" and "Etc/GMT-2" are IANA names too.
  return IANAZone.isValidZone(zone);
}

/** Adds the issue "give exactly one of pct and amount" to an allowance object. */
function requireExactlyOne(value: { pct?: string | null; amount?: string | null }, ctx: z.RefinementCtx): void {
  const hasPct = value.pct != null;
  const hasAmount = value.amount != null;
  if (hasPct && hasAmount) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['amount'],
      message: 'Give either pct or amount, not both',
    });
  } else if (!hasPct && !hasAmount) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['pct'],
      message: 'Give a pct or an amount',
    });
  }
}

/** A rule object: missing or null is off. */
function optionalRule<T extends z.ZodTypeAny>(rule: T) {
  return rule.nullish().transform((value): z.output<T> | null => value ?? null);
}

/**
 * What the rules are checked for.
 * - `engine` (default): everything the engine needs to run a phase. Unknown keys are ignored, and
 *   settings that are legal but pointless (a minimum above the maximum of trading days, a lockAt on
 *   a static max loss) are accepted as recorded: an account that already runs on them must replay
 *   exactly (golden scenario 24 has minTradingDays 4 with maxTradingDays 3).
 * - `designer`: also what makes a sensible plan, for the plan designer and presets: unknown keys
 *   (a misspelt field) are reported, lockAt needs a trailing max loss, the daily loss must be
 *   smaller than the max loss, and the minimum trading days must fit the maximum and the calendar.
 */
export type RuleCheckMode = 'engine' | 'designer';

function buildPhaseRulesSchema(mode: RuleCheckMode) {
  const designer = mode === 'designer';
  // Both variants have the same output type; only the handling of extra keys differs.
  const object = <T extends z.ZodRawShape>(shape: T): z.ZodObject<T> => {
    const plain = z.object(shape, { invalid_type_error: 'Must be an object (or null where the rule is optional)' });
    return designer ? (plain.strict() as unknown as z.ZodObject<T>) : plain;
  };

  const dayReset = object({
    timeZone: z
      .string({ invalid_type_error: 'Must be an IANA time zone such as "Europe/Prague"' })
      .refine(isValidTimeZone, 'Must be an IANA time zone such as "Europe/Prague"')
      .nullish()
      .transform((value) => value ?? PHASE_RULE_DEFAULTS.dayReset.timeZone),
    localTime: z
      .string({ invalid_type_error: 'Must be a local time "HH:mm" from 00:00 to 23:59' })
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Must be a local time "HH:mm" from 00:00 to 23:59')
      .nullish()
      .transform((value) => value ?? PHASE_RULE_DEFAULTS.dayReset.localTime),
  })
    .nullish()
    .transform((value): DayReset => value ?? { ...PHASE_RULE_DEFAULTS.dayReset });

  const dailyLoss = object({
    pct: percentField().nullish(),
    amount: amountField().nullish(),
    reference: choice(DAILY_LOSS_REFERENCES, PHASE_RULE_DEFAULTS.dailyLoss.reference),
    of: choice(DAILY_LOSS_OF, PHASE_RULE_DEFAULTS.dailyLoss.of),
    action: choice(BREACH_ACTIONS, PHASE_RULE_DEFAULTS.dailyLoss.action),
  })
    .superRefine(requireExactlyOne)
    .transform(
      (value): DailyLossRule => ({
        pct: value.pct ?? null,
        amount: value.amount ?? null,
        reference: value.reference,
        of: value.of,
        action: value.action,
      }),
    );

  const maxLoss = object({
    pct: percentField().nullish(),
    amount: amountField().nullish(),
    mode: choice(MAX_LOSS_MODES, PHASE_RULE_DEFAULTS.maxLoss.mode),
    lockAt: nonNegativeAmountField().nullish(),
  })
    .superRefine((value, ctx) => {
      requireExactlyOne(value, ctx);
      // With STATIC, P = I and the floor never reaches I + lockAt: harmless, but a plan mistake.
      if (designer && value.lockAt != null && value.mode === 'STATIC') {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['lockAt'],
          message: `lockAt applies only to a trailing maximum loss (mode ${TRAILING_MAX_LOSS_MODES.join(', ')})`,
        });
      }
    })
    .transform(
      (value): MaxLossRule => ({
        pct: value.pct ?? null,
        amount: value.amount ?? null,
        mode: value.mode,
        lockAt: value.lockAt ?? null,
      }),
    );

  const maxLossPerTrade = object({
    pct: percentField().nullish(),
    amount: amountField().nullish(),
    action: choice(BREACH_ACTIONS, PHASE_RULE_DEFAULTS.maxLossPerTrade.action),
  })
    .superRefine(requireExactlyOne)
    .transform(
      (value): MaxLossPerTradeRule => ({
        pct: value.pct ?? null,
        amount: value.amount ?? null,
        action: value.action,
      }),
    );

  const profitTarget = object({
    pct: percentField(),
    requireFlat: z
      .boolean({ invalid_type_error: 'Must be true or false' })
      .nullish()
      .transform((value) => value ?? PHASE_RULE_DEFAULTS.profitTarget.requireFlat),
    measure: choice(PROFIT_TARGET_MEASURES, PHASE_RULE_DEFAULTS.profitTarget.measure),
  });

  const consistency = object({
    maxBestDayPct: percentField(),
    denominator: choice(CONSISTENCY_DENOMINATORS, PHASE_RULE_DEFAULTS.consistency.denominator),
    comparison: choice(CONSISTENCY_COMPARISONS, PHASE_RULE_DEFAULTS.consistency.comparison),
    basis: choice(CONSISTENCY_BASES, PHASE_RULE_DEFAULTS.consistency.basis),
  });

  const minProfitableDays = object({
    count: wholeNumber(1, 'days'),
    minPctOfInitial: optionalPercentField()
      .nullish()
      .transform((value) => value ?? PHASE_RULE_DEFAULTS.minProfitableDays.minPctOfInitial),
  });

  return object({
    dayReset,
    breachComparison: choice(BREACH_COMPARISONS, PHASE_RULE_DEFAULTS.breachComparison),
    dailyLoss: optionalRule(dailyLoss),
    maxLoss: optionalRule(maxLoss),
    maxLossPerTrade: optionalRule(maxLossPerTrade),
    profitTarget: optionalRule(profitTarget),
    minTradingDays: wholeNumber(0, 'days')
      .nullish()
      .transform((value) => value ?? PHASE_RULE_DEFAULTS.minTradingDays),
    maxTradingDays: optionalCount(1, 'days'),
    maxDays: optionalCount(1, 'days'),
    maxInactiveDays: optionalCount(1, 'days'),
    tradingDay: choice(TRADING_DAY_KINDS, PHASE_RULE_DEFAULTS.tradingDay),
    consistency: optionalRule(consistency),
    minProfitableDays: optionalRule(minProfitableDays),
    passAt: choice(PASS_AT, PHASE_RULE_DEFAULTS.passAt),
  })
    .superRefine((rules, ctx) => {
      if (designer) checkPlanSanity(rules, ctx);
    })
    .transform((value): PhaseRules => value);
}

/** Designer checks across rules: limits that contradict each other make a plan nobody can pass. */
function checkPlanSanity(rules: PhaseRules, ctx: z.RefinementCtx): void {
  const { dailyLoss, maxLoss } = rules;
  if (dailyLoss !== null && maxLoss !== null) {
    const field = dailyLoss.pct !== null && maxLoss.pct !== null ? 'pct' : 'amount';
    const daily = dailyLoss[field];
    const max = maxLoss[field];
    if (daily !== null && max !== null && !isLess(daily, max)) {
      const unit = field === 'pct' ? '%' : '';
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['dailyLoss', field],
        message: `The daily loss (${daily}${unit}) must be smaller than the maximum loss (${max}${unit})`,
      });
    }
  }
  const { minTradingDays, maxTradingDays, maxDays } = rules;
  if (minTradingDays > 0 && maxTradingDays !== null && minTradingDays > maxTradingDays) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['minTradingDays'],
      message: `The minimum trading days (${minTradingDays}) cannot exceed the maximum trading days (${maxTradingDays})`,
    });
  }
  if (minTradingDays > 0 && maxDays !== null && minTradingDays > maxDays) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['minTradingDays'],
      message: `The minimum trading days (${minTradingDays}) cannot exceed the calendar days allowed (maxDays ${maxDays})`,
    });
  }
}

function isLess(a: string, b: string): boolean {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return compareProducts(x.num, y.den, y.num, x.den) < 0;
}

/** The phase `rules` schema as the engine checks it (`engine` mode). */
export const phaseRulesSchema = buildPhaseRulesSchema('engine');
/** The same schema with the plan designer's checks (`designer` mode). */
export const designerPhaseRulesSchema = buildPhaseRulesSchema('designer');

export interface ParsePhaseRulesOptions {
  /** `engine` (default) or `designer`; see `RuleCheckMode`. */
  mode?: RuleCheckMode;
}

/** Validates and normalises a phase `rules` object; throws `RuleConfigError` with field paths. */
export function parsePhaseRules(input: unknown, options: ParsePhaseRulesOptions = {}): PhaseRules {
  const schema = options.mode === 'designer' ? designerPhaseRulesSchema : phaseRulesSchema;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new RuleConfigError(
    result.error.issues.map((issue) => ({
      path: issue.path.map(String),
      message: issue.message,
    })),
  );
}
