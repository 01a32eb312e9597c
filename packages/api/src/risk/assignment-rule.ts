/**
 * Behaviour-based assignment rules (issue 8): per brand, "when an account's <metric> over the last
 * <window> days <comparison> <threshold>, with at least <minTrades> closed trades, move it to
 * <risk group> and/or <book>". Stored as data, validated here (zod), evaluated on figures the
 * service reads from the journal's deals. Pure: no I/O.
 *
 * Metrics, over the deals closing positions (entry `out`) inside the window:
 * - WIN_RATE: % of closing deals whose net result (profit + commission + swap) is above zero;
 * - TRADE_COUNT: how many closing deals;
 * - AVG_HOLDING_SECONDS: mean time from a position's first opening deal to the closing deal;
 * - PROFIT_FACTOR: Σ winning net results / |Σ losing net results| (no losing deal and some gain: ∞).
 */
import { z } from 'zod';
import { RiskConfigError } from './errors';
import { BOOKS, type Book } from './risk-group';

export const RULE_METRICS = ['WIN_RATE', 'TRADE_COUNT', 'AVG_HOLDING_SECONDS', 'PROFIT_FACTOR'] as const;
export type RuleMetric = (typeof RULE_METRICS)[number];
export const RULE_COMPARISONS = ['GTE', 'GT', 'LTE', 'LT'] as const;
export type RuleComparison = (typeof RULE_COMPARISONS)[number];

export interface AssignmentRule {
  id: string;
  brand: string;
  name: string;
  metric: RuleMetric;
  windowDays: number;
  comparison: RuleComparison;
  /** Decimal text: % for WIN_RATE, trades, seconds, or a ratio. */
  threshold: string;
  minTrades: number;
  targetRiskGroupId: string | null;
  targetBook: Book | null;
  /** Lower runs first; an account moves by the first rule it matches. */
  priority: number;
  enabled: boolean;
}

const decimal = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^\d+(\.\d{1,6})?$/.test(v), 'A number of at least 0, with up to 6 decimals');

const ruleSchema = z
  .object({
    id: z.string().min(1),
    brand: z.string().min(1),
    name: z
      .string()
      .transform((v) => v.trim())
      .pipe(z.string().min(1, 'Give the rule a name').max(80, 'At most 80 characters')),
    metric: z.enum(RULE_METRICS),
    windowDays: z.number().int('Whole days').min(1, 'At least 1 day').max(365, 'At most 365 days'),
    comparison: z.enum(RULE_COMPARISONS),
    threshold: decimal,
    minTrades: z.number().int('A whole number').min(0, 'At least 0').max(1_000_000).default(0),
    targetRiskGroupId: z.string().min(1).nullable().default(null),
    targetBook: z.enum(BOOKS).nullable().default(null),
    priority: z.number().int('A whole number').min(0).max(1_000_000).default(100),
    enabled: z.boolean().default(true),
  })
  .superRefine((rule, ctx) => {
    if (rule.targetRiskGroupId === null && rule.targetBook === null) {
      ctx.addIssue({ code: 'custom', path: ['targetRiskGroupId'], message: 'Choose a risk group, a book, or both' });
    }
    const t = Number(rule.threshold);
    if (rule.metric === 'WIN_RATE' && t > 100) {
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'A win rate is at most 100 %' });
    }
    if ((rule.metric === 'TRADE_COUNT' || rule.metric === 'AVG_HOLDING_SECONDS') && !Number.isInteger(t)) {
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'A whole number' });
    }
  });

export type AssignmentRuleInput = z.input<typeof ruleSchema>;

/** Validates and normalises a rule; throws `RiskConfigError` listing every problem with its path. */
export function parseAssignmentRule(input: AssignmentRuleInput): AssignmentRule {
  const result = ruleSchema.safeParse(input);
  if (!result.success) {
    throw new RiskConfigError(
      result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      'assignment rule',
    );
  }
  return result.data as AssignmentRule;
}

/** What the journal says about one account over one window. */
export interface TradingFigures {
  /** Closing deals in the window. */
  trades: number;
  /** Closing deals with a positive net result. */
  wins: number;
  /** Σ positive net results (account currency, decimal number). */
  gains: number;
  /** |Σ negative net results|. */
  losses: number;
  /** Mean holding time in seconds, null when no closing deal has a known opening. */
  avgHoldingSeconds: number | null;
}

/** The metric's value, or null when it cannot be computed (no trades, unknown opening times). */
export function metricValue(metric: RuleMetric, f: TradingFigures): number | null {
  switch (metric) {
    case 'TRADE_COUNT':
      return f.trades;
    case 'WIN_RATE':
      return f.trades === 0 ? null : (f.wins * 100) / f.trades;
    case 'AVG_HOLDING_SECONDS':
      return f.trades === 0 ? null : f.avgHoldingSeconds;
    case 'PROFIT_FACTOR':
      if (f.trades === 0) return null;
      if (f.losses === 0) return f.gains > 0 ? Number.POSITIVE_INFINITY : null;
      return f.gains / f.losses;
  }
}

export function compares(value: number, comparison: RuleComparison, threshold: number): boolean {
  switch (comparison) {
    case 'GTE':
      return value >= threshold;
    case 'GT':
      return value > threshold;
    case 'LTE':
      return value <= threshold;
    case 'LT':
      return value < threshold;
  }
}

export interface RuleMatch {
  value: number;
  trades: number;
}

/** Does the account's behaviour match the rule (enough trades, metric compares)? */
export function matches(rule: AssignmentRule, f: TradingFigures): RuleMatch | null {
  if (!rule.enabled) return null;
  if (f.trades < rule.minTrades) return null;
  const value = metricValue(rule.metric, f);
  if (value === null) return null;
  return compares(value, rule.comparison, Number(rule.threshold)) ? { value, trades: f.trades } : null;
}

const SYMBOL: Record<RuleComparison, string> = { GTE: '≥', GT: '>', LTE: '≤', LT: '<' };
const UNIT: Record<RuleMetric, string> = {
  WIN_RATE: ' %',
  TRADE_COUNT: '',
  AVG_HOLDING_SECONDS: ' s',
  PROFIT_FACTOR: '',
};
const LABEL: Record<RuleMetric, string> = {
  WIN_RATE: 'win rate',
  TRADE_COUNT: 'closed trades',
  AVG_HOLDING_SECONDS: 'average holding time',
  PROFIT_FACTOR: 'profit factor',
};

export function formatMetric(metric: RuleMetric, value: number): string {
  if (!Number.isFinite(value)) return '∞';
  if (metric === 'TRADE_COUNT') return String(value);
  return (Math.round(value * 100) / 100).toFixed(metric === 'AVG_HOLDING_SECONDS' ? 0 : 2);
}

/** Why an account matched, in words (English; the admin shows the parts localized). */
export function explain(rule: AssignmentRule, m: RuleMatch): string {
  return `${LABEL[rule.metric]} ${formatMetric(rule.metric, m.value)}${UNIT[rule.metric]} ${SYMBOL[rule.comparison]} ${rule.threshold}${UNIT[rule.metric]} over ${m.trades} closed trades in the last ${rule.windowDays} days`;
}

export interface AccountPlacement {
  riskGroupId: string;
  book: Book;
}

/**
 * The first enabled rule (by priority, then name) the account matches and that would change its
 * placement; null when none does.
 */
export function decide(
  rules: readonly AssignmentRule[],
  figuresFor: (windowDays: number) => TradingFigures | undefined,
  current: AccountPlacement,
): { rule: AssignmentRule; match: RuleMatch; to: AccountPlacement } | null {
  const ordered = [...rules].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  for (const rule of ordered) {
    const f = figuresFor(rule.windowDays);
    if (!f) continue;
    const match = matches(rule, f);
    if (!match) continue;
    const to = { riskGroupId: rule.targetRiskGroupId ?? current.riskGroupId, book: rule.targetBook ?? current.book };
    if (to.riskGroupId === current.riskGroupId && to.book === current.book) return null;
    return { rule, match, to };
  }
  return null;
}
