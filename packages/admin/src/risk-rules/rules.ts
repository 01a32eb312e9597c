import { z } from 'zod';
import type {
  AssignmentRuleFieldsFragment,
  Book,
  CreateAssignmentRuleInput,
  RuleComparison,
  RuleMetric,
  UpdateAssignmentRuleInput,
} from '../gql/graphql';

interface Grant {
  role: string;
  brandId?: string | null;
}

export const RULE_METRICS = ['WIN_RATE', 'TRADE_COUNT', 'AVG_HOLDING_SECONDS', 'PROFIT_FACTOR'] as const;
export const RULE_COMPARISONS = ['GTE', 'GT', 'LTE', 'LT'] as const;
export const RULE_FIELDS = [
  'name',
  'metric',
  'windowDays',
  'comparison',
  'threshold',
  'minTrades',
  'targetRiskGroupId',
  'targetBook',
  'priority',
  'enabled',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

const WRITERS = new Set(['OWNER', 'ADMIN', 'RISK_MANAGER']);

/** Whether the staff member may change rules and run them on this brand (the API decides in the end). */
export const canWriteRules = (grants: readonly Grant[], brandId: string) =>
  grants.some((g) => (g.brandId == null || g.brandId === brandId) && WRITERS.has(g.role));

export const COMPARISON_SYMBOL: Record<RuleComparison, string> = { GTE: '≥', GT: '>', LTE: '≤', LT: '<' };

/** The unit shown after a threshold or a value of the metric. */
export const METRIC_UNIT: Record<RuleMetric, 'percent' | 'trades' | 'seconds' | 'ratio'> = {
  WIN_RATE: 'percent',
  TRADE_COUNT: 'trades',
  AVG_HOLDING_SECONDS: 'seconds',
  PROFIT_FACTOR: 'ratio',
};

export interface RuleFormValues {
  name: string;
  metric: RuleMetric;
  windowDays: number;
  comparison: RuleComparison;
  threshold: string;
  minTrades: number;
  /** '' for none. */
  targetRiskGroupId: string;
  /** '' for none. */
  targetBook: '' | Book;
  priority: number;
  enabled: boolean;
}

export const emptyRuleForm = (): RuleFormValues => ({
  name: '',
  metric: 'WIN_RATE' as RuleMetric,
  windowDays: 30,
  comparison: 'GTE' as RuleComparison,
  threshold: '70',
  minTrades: 50,
  targetRiskGroupId: '',
  targetBook: 'A' as Book,
  priority: 100,
  enabled: true,
});

export const formOf = (rule: AssignmentRuleFieldsFragment): RuleFormValues => ({
  name: rule.name,
  metric: rule.metric,
  windowDays: rule.windowDays,
  comparison: rule.comparison,
  threshold: rule.threshold,
  minTrades: rule.minTrades,
  targetRiskGroupId: rule.targetRiskGroupId ?? '',
  targetBook: rule.targetBook ?? '',
  priority: rule.priority,
  enabled: rule.enabled,
});

/** Message ids of the form's own checks (the API checks the same and more). */
export const ruleSchema = z
  .object({
    name: z.string().trim().min(1, 'riskRules.error.name').max(80, 'riskRules.error.name'),
    metric: z.enum(RULE_METRICS),
    windowDays: z
      .number()
      .int('riskRules.error.window')
      .min(1, 'riskRules.error.window')
      .max(365, 'riskRules.error.window'),
    comparison: z.enum(RULE_COMPARISONS),
    threshold: z
      .string()
      .trim()
      .regex(/^\d+(\.\d{1,6})?$/, 'riskRules.error.threshold'),
    minTrades: z.number().int('riskRules.error.minTrades').min(0, 'riskRules.error.minTrades'),
    targetRiskGroupId: z.string(),
    targetBook: z.enum(['', 'A', 'B']),
    priority: z.number().int('riskRules.error.priority').min(0, 'riskRules.error.priority'),
    enabled: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.targetRiskGroupId === '' && v.targetBook === '') {
      ctx.addIssue({ code: 'custom', path: ['targetRiskGroupId'], message: 'riskRules.error.target' });
    }
    if (v.metric === 'WIN_RATE' && Number(v.threshold) > 100) {
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'riskRules.error.winRate' });
    }
  });

export function toCreateInput(brandId: string, v: RuleFormValues): CreateAssignmentRuleInput {
  return {
    brandId,
    name: v.name.trim(),
    metric: v.metric,
    windowDays: v.windowDays,
    comparison: v.comparison,
    threshold: v.threshold.trim(),
    minTrades: v.minTrades,
    targetRiskGroupId: v.targetRiskGroupId || null,
    targetBook: v.targetBook || null,
    priority: v.priority,
    enabled: v.enabled,
  };
}

/** Every field, so that clearing a target is sent as null. */
export function toUpdateInput(v: RuleFormValues): UpdateAssignmentRuleInput {
  const { brandId: _brand, ...fields } = toCreateInput('', v);
  return fields;
}

/** Sorted as the API runs them: priority, then name. */
export const byPriority = <T extends { priority: number; name: string }>(rules: readonly T[]) =>
  [...rules].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
