import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { SUPPORTED_LOCALES, isIsoCurrency } from '../common/locales';
import type { FieldProblem } from '../common/errors';
import { parseDecimal, compareProducts } from '../rules/money';
import { designerPhaseRulesSchema, type PhaseRules } from '../rules/rules.schema';

/**
 * A plan version's content: what a customer buys. Pure data and checks, shared by the service,
 * the presets and the tests. Stored as one JSON document per version so that an account keeps the
 * exact rule set it was sold.
 */
export const PLAN_KINDS = ['ONE_STEP', 'TWO_STEP', 'THREE_STEP', 'INSTANT_FUNDING', 'CUSTOM'] as const;
export const PHASE_KINDS = ['EVALUATION', 'VERIFICATION', 'FUNDED'] as const;
export const PASS_ADVANCES = ['AUTOMATIC', 'MANUAL_REVIEW', 'TRADER_CONFIRMS'] as const;
export const PLATFORM_KINDS = ['SIMULATOR', 'MT5'] as const;
/** The absolute amounts that differ by account size and may be overridden per size. */
export const OVERRIDABLE_AMOUNTS = [
  'DAILY_LOSS_AMOUNT',
  'MAX_LOSS_AMOUNT',
  'MAX_LOSS_LOCK_AT',
  'MAX_LOSS_PER_TRADE_AMOUNT',
] as const;
/** Where each overridable amount lives in a phase's rules. */
export const OVERRIDE_TARGETS: Record<
  (typeof OVERRIDABLE_AMOUNTS)[number],
  ['dailyLoss' | 'maxLoss' | 'maxLossPerTrade', 'amount' | 'lockAt']
> = {
  DAILY_LOSS_AMOUNT: ['dailyLoss', 'amount'],
  MAX_LOSS_AMOUNT: ['maxLoss', 'amount'],
  MAX_LOSS_LOCK_AT: ['maxLoss', 'lockAt'],
  MAX_LOSS_PER_TRADE_AMOUNT: ['maxLossPerTrade', 'amount'],
};

export type PlanKind = (typeof PLAN_KINDS)[number];
export type PhaseKind = (typeof PHASE_KINDS)[number];
export type PassAdvance = (typeof PASS_ADVANCES)[number];
export type PlatformKind = (typeof PLATFORM_KINDS)[number];
export type OverridableAmount = (typeof OVERRIDABLE_AMOUNTS)[number];

export interface LocalizedText {
  locale: string;
  text: string;
}
export interface AmountOverride {
  phaseId: string;
  field: OverridableAmount;
  amount: string;
}
export interface AccountSize {
  id: string;
  balance: string;
  price: string;
  currency: string;
  overrides: AmountOverride[];
}
export interface ProfitSplitTier {
  /** Cumulative paid profit up to which this share applies; null: everything above. */
  upTo: string | null;
  pct: string;
}
export interface FundedTerms {
  profitSplit: ProfitSplitTier[];
  payout: { firstAfterDays: number; everyDays: number; minAmount: string };
}
export interface PhaseContent {
  id: string;
  name: string;
  kind: PhaseKind;
  rules: PhaseRules;
  advance: PassAdvance;
  /** Percent of a limit used at which a near-breach alert is raised, ascending, e.g. [50, 80, 95]. */
  warningThresholds: number[];
  funded: FundedTerms | null;
}
export interface PlanContent {
  names: LocalizedText[];
  descriptions: LocalizedText[];
  kind: PlanKind;
  platform: PlatformKind;
  riskGroupId: string | null;
  sizes: AccountSize[];
  phases: PhaseContent[];
}

const decimal = (message: string) =>
  z
    .union([z.string(), z.number()])
    .transform(String)
    .refine((v) => /^\d+(\.\d+)?$/.test(v), message);
const positive = (message: string) => decimal(message).refine((v) => Number(v) > 0, message);
const localized = z
  .array(
    z.object({
      locale: z.enum(SUPPORTED_LOCALES, {
        errorMap: () => ({ message: `must be one of ${SUPPORTED_LOCALES.join(', ')}` }),
      }),
      text: z.string().trim().max(2000, 'at most 2000 characters'),
    }),
  )
  .refine((list) => new Set(list.map((l) => l.locale)).size === list.length, 'one text per language');

const id = z.string().min(1).max(64).optional();

const fundedSchema = z
  .object({
    profitSplit: z
      .array(
        z.object({
          upTo: decimal('must be an amount')
            .nullable()
            .optional()
            .transform((v) => v ?? null),
          pct: decimal('must be a percentage').refine(
            (v) => Number(v) > 0 && Number(v) <= 100,
            'must be above 0 and at most 100 %',
          ),
        }),
      )
      .min(1, 'needs at least one profit-split tier'),
    payout: z.object({
      firstAfterDays: z.number().int().min(0, 'cannot be negative').max(365),
      everyDays: z.number().int().min(1, 'at least 1 day').max(365),
      minAmount: decimal('must be an amount'),
    }),
  })
  .superRefine((funded, ctx) => {
    // Tiers ascend by upTo; only the last may be open-ended.
    funded.profitSplit.forEach((tier, i) => {
      const last = i === funded.profitSplit.length - 1;
      if (tier.upTo === null && !last) {
        ctx.addIssue({
          code: 'custom',
          path: ['profitSplit', i, 'upTo'],
          message: 'only the last tier may be open-ended',
        });
      }
      const previous = funded.profitSplit[i - 1]?.upTo;
      if (i > 0 && tier.upTo !== null && previous != null && !isLess(previous, tier.upTo)) {
        ctx.addIssue({ code: 'custom', path: ['profitSplit', i, 'upTo'], message: 'tiers must ascend' });
      }
    });
  });

const phaseSchema = z.object({
  id,
  name: z.string().trim().min(1, 'a phase needs a name').max(80, 'at most 80 characters'),
  kind: z.enum(PHASE_KINDS),
  rules: designerPhaseRulesSchema,
  advance: z.enum(PASS_ADVANCES).default('AUTOMATIC'),
  warningThresholds: z
    .array(z.number().int().min(1, 'between 1 and 99 %').max(99, 'between 1 and 99 %'))
    .max(5)
    .default([50, 80, 95])
    .refine((list) => list.every((v, i) => i === 0 || v > list[i - 1]!), 'thresholds must ascend'),
  funded: fundedSchema
    .nullable()
    .optional()
    .transform((v) => v ?? null),
});

const sizeSchema = z.object({
  id,
  balance: positive('must be an amount above zero'),
  price: decimal('must be an amount (0 for free)'),
  currency: z.string().refine(isIsoCurrency, 'must be an ISO 4217 currency code such as USD'),
  overrides: z
    .array(z.object({ phaseId: z.string(), field: z.enum(OVERRIDABLE_AMOUNTS), amount: decimal('must be an amount') }))
    .default([]),
});

export const planContentSchema = z
  .object({
    names: localized.refine((l) => l.some((n) => n.text.length > 0), 'a plan needs a name in at least one language'),
    descriptions: localized.default([]),
    kind: z.enum(PLAN_KINDS),
    platform: z.enum(PLATFORM_KINDS).default('SIMULATOR'),
    riskGroupId: z
      .string()
      .uuid()
      .nullable()
      .optional()
      .transform((v) => v ?? null),
    sizes: z.array(sizeSchema).min(1, 'a plan needs at least one account size').max(20),
    phases: z.array(phaseSchema).min(1, 'a plan needs at least one phase').max(6),
  })
  .transform((plan) => ({
    ...plan,
    // Ids are stable handles for ordering and overrides; new phases and sizes get one here.
    phases: plan.phases.map((p) => ({ ...p, id: p.id ?? randomUUID() })),
    sizes: plan.sizes.map((s) => ({ ...s, id: s.id ?? randomUUID() })),
  }))
  .superRefine((plan, ctx) => {
    const funded = plan.phases.map((p, i) => (p.kind === 'FUNDED' ? i : -1)).filter((i) => i >= 0);
    if (funded.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['phases', funded[1]!, 'kind'],
        message: 'a plan has at most one funded phase',
      });
    }
    if (funded.length === 1 && funded[0] !== plan.phases.length - 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['phases', funded[0]!, 'kind'],
        message: 'the funded phase must be the last',
      });
    }
    plan.phases.forEach((phase, i) => {
      if (phase.kind === 'FUNDED' && phase.rules.profitTarget !== null) {
        ctx.addIssue({
          code: 'custom',
          path: ['phases', i, 'rules', 'profitTarget'],
          message: 'a funded phase has no profit target',
        });
      }
      if (phase.kind !== 'FUNDED' && phase.rules.profitTarget === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['phases', i, 'rules', 'profitTarget'],
          message: 'an evaluation phase needs a profit target',
        });
      }
      if (phase.kind === 'FUNDED' && phase.funded === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['phases', i, 'funded'],
          message: 'a funded phase needs a profit split and payout terms',
        });
      }
    });
    const phaseIds = new Set(plan.phases.map((p) => p.id));
    if (phaseIds.size !== plan.phases.length)
      ctx.addIssue({ code: 'custom', path: ['phases'], message: 'phase ids must be unique' });
    plan.sizes.forEach((size, s) => {
      size.overrides.forEach((override, o) => {
        const phase = plan.phases.find((p) => p.id === override.phaseId);
        if (!phase) {
          ctx.addIssue({
            code: 'custom',
            path: ['sizes', s, 'overrides', o, 'phaseId'],
            message: 'no such phase in this plan',
          });
          return;
        }
        const [rule, field] = OVERRIDE_TARGETS[override.field];
        const target = phase.rules[rule] as Record<string, unknown> | null;
        if (!target || (field === 'amount' && target.amount === null)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sizes', s, 'overrides', o, 'field'],
            message: `the phase's ${rule} is not set as an amount, so its amount cannot be overridden`,
          });
        }
      });
    });
  });

/** Validates plan content for the designer; problems carry their field paths under `prefix`. */
export function validatePlanContent(
  input: unknown,
  prefix: string[],
): { content?: PlanContent; problems: FieldProblem[] } {
  const result = planContentSchema.safeParse(input);
  if (result.success) return { content: result.data as PlanContent, problems: [] };
  return {
    problems: result.error.issues.map((issue) => ({
      path: [...prefix, ...issue.path.map(String)],
      message: issue.message,
    })),
  };
}

/** The rules an account of `sizeId` runs in `phaseId`: the phase's rules with that size's amount overrides. */
export function effectiveRules(content: PlanContent, sizeId: string, phaseId: string): PhaseRules {
  const phase = content.phases.find((p) => p.id === phaseId);
  const size = content.sizes.find((s) => s.id === sizeId);
  if (!phase || !size) throw new Error(`no phase ${phaseId} or size ${sizeId} in this plan version`);
  const rules: PhaseRules = structuredClone(phase.rules);
  for (const override of size.overrides.filter((o) => o.phaseId === phaseId)) {
    const [rule, field] = OVERRIDE_TARGETS[override.field];
    const target = rules[rule] as Record<string, unknown> | null;
    if (target) target[field] = override.amount;
  }
  return rules;
}

export interface FieldChange {
  path: string;
  before: string | null;
  after: string | null;
}

/** A field-by-field diff of two versions, phases matched by id so that a reorder reads as one. */
export function diffPlanContent(before: PlanContent, after: PlanContent): FieldChange[] {
  const flat = (content: PlanContent) => {
    const out = new Map<string, string>();
    const walk = (value: unknown, path: string) => {
      if (value === null || value === undefined) return;
      if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) {
        out.set(path, value.join(', '));
      } else if (typeof value === 'object') {
        for (const [key, child] of Object.entries(value as Record<string, unknown>))
          walk(child, path ? `${path}.${key}` : key);
      } else {
        out.set(path, String(value));
      }
    };
    const { phases, sizes, names, descriptions, ...rest } = content;
    walk(rest, '');
    for (const n of names) out.set(`name.${n.locale}`, n.text);
    for (const d of descriptions) out.set(`description.${d.locale}`, d.text);
    for (const s of sizes) walk({ ...s, id: undefined }, `size ${s.balance} ${s.currency}`);
    out.set('phase order', phases.map((p) => p.name).join(' → '));
    for (const p of phases) walk({ ...p, id: undefined }, `phase "${p.name}"`);
    return out;
  };
  const a = flat(before);
  const b = flat(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  return paths
    .filter((p) => a.get(p) !== b.get(p))
    .map((path) => ({ path, before: a.get(path) ?? null, after: b.get(path) ?? null }));
}

function isLess(a: string, b: string): boolean {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return compareProducts(x.num, y.den, y.num, x.den) < 0;
}
