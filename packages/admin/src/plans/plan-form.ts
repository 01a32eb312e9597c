import { z } from 'zod';
import type {
  BreachAction,
  BreachComparison,
  ConsistencyBasis,
  ConsistencyComparison,
  ConsistencyDenominator,
  DailyLossOf,
  DailyLossReference,
  MaxLossMode,
  OverridableAmount,
  PassAdvance,
  PassAt,
  PhaseInput,
  PhaseKind,
  PhaseRulesFieldsFragment,
  PhaseRulesInput,
  PlanInput,
  PlanKind,
  PlanVersionFieldsFragment,
  PlatformKind,
  ProfitTargetMeasure,
  TradingDayKind,
} from '../gql/graphql';
import type { Translate } from '../i18n/LocaleProvider';

// ----- value lists (the schema's enums, in the order the selects show them) -----

export const PLAN_KINDS: readonly PlanKind[] = ['ONE_STEP', 'TWO_STEP', 'THREE_STEP', 'INSTANT_FUNDING', 'CUSTOM'];
export const PLATFORM_KINDS: readonly PlatformKind[] = ['SIMULATOR', 'MT5'];
export const PHASE_KINDS: readonly PhaseKind[] = ['EVALUATION', 'VERIFICATION', 'FUNDED'];
export const PASS_ADVANCES: readonly PassAdvance[] = ['AUTOMATIC', 'MANUAL_REVIEW', 'TRADER_CONFIRMS'];
export const BREACH_COMPARISONS: readonly BreachComparison[] = ['BELOW', 'AT_OR_BELOW'];
export const BREACH_ACTIONS: readonly BreachAction[] = ['HARD', 'SOFT'];
export const DAILY_LOSS_REFERENCES: readonly DailyLossReference[] = ['BALANCE', 'MAX_BALANCE_EQUITY', 'DAY_HIGH'];
export const DAILY_LOSS_OF: readonly DailyLossOf[] = ['INITIAL', 'REFERENCE'];
export const MAX_LOSS_MODES: readonly MaxLossMode[] = [
  'STATIC',
  'TRAILING_EOD',
  'TRAILING_INTRADAY',
  'TRAILING_CLOSED_BALANCE',
];
export const PROFIT_TARGET_MEASURES: readonly ProfitTargetMeasure[] = ['BALANCE', 'EQUITY'];
export const TRADING_DAY_KINDS: readonly TradingDayKind[] = ['OPEN', 'ANY_DEAL'];
export const CONSISTENCY_DENOMINATORS: readonly ConsistencyDenominator[] = ['NET_PROFIT', 'POSITIVE_DAYS'];
export const CONSISTENCY_COMPARISONS: readonly ConsistencyComparison[] = ['AT_MOST', 'BELOW'];
export const CONSISTENCY_BASES: readonly ConsistencyBasis[] = ['DAY', 'TRADE'];
export const PASS_AT: readonly PassAt[] = ['EVENT', 'NEXT_RESET'];
export const OVERRIDABLE_AMOUNTS: readonly OverridableAmount[] = [
  'DAILY_LOSS_AMOUNT',
  'MAX_LOSS_AMOUNT',
  'MAX_LOSS_LOCK_AT',
  'MAX_LOSS_PER_TRADE_AMOUNT',
];

// ----- form values: what the inputs show (strings, switches), never nulls -----

/** A limit given as a percentage of the initial balance or as an amount of money. */
export type Basis = 'pct' | 'amount';

export interface PhaseRulesForm {
  dayReset: { timeZone: string; localTime: string };
  breachComparison: BreachComparison;
  tradingDay: TradingDayKind;
  passAt: PassAt;
  dailyLoss: {
    enabled: boolean;
    basis: Basis;
    value: string;
    reference: DailyLossReference;
    of: DailyLossOf;
    action: BreachAction;
  };
  maxLoss: { enabled: boolean; basis: Basis; value: string; mode: MaxLossMode; lockAtEnabled: boolean; lockAt: string };
  maxLossPerTrade: { enabled: boolean; basis: Basis; value: string; action: BreachAction };
  profitTarget: { enabled: boolean; pct: string; requireFlat: boolean; measure: ProfitTargetMeasure };
  minTradingDays: string;
  maxTradingDays: { enabled: boolean; value: string };
  maxDays: { enabled: boolean; value: string };
  maxInactiveDays: { enabled: boolean; value: string };
  consistency: {
    enabled: boolean;
    maxBestDayPct: string;
    denominator: ConsistencyDenominator;
    comparison: ConsistencyComparison;
    basis: ConsistencyBasis;
  };
  minProfitableDays: { enabled: boolean; count: string; minPctOfInitial: string };
}

export interface FundedForm {
  /** An empty `upTo` is the open-ended last tier. */
  profitSplit: { upTo: string; pct: string }[];
  payout: { firstAfterDays: string; everyDays: string; minAmount: string };
}

export interface PhaseForm {
  /** The phase's id; a phase added in the editor gets one here, so overrides and order can name it. */
  id: string;
  name: string;
  kind: PhaseKind;
  advance: PassAdvance;
  warningThresholds: string[];
  rules: PhaseRulesForm;
  /** Kept for every phase (so switching a phase to FUNDED has terms), sent only for a FUNDED one. */
  funded: FundedForm;
}

export interface OverrideForm {
  phaseId: string;
  field: OverridableAmount;
  amount: string;
}

export interface SizeForm {
  id: string;
  balance: string;
  price: string;
  currency: string;
  overrides: OverrideForm[];
}

export interface PlanForm {
  /** Name and description per language code. */
  names: Record<string, string>;
  descriptions: Record<string, string>;
  kind: PlanKind;
  platform: PlatformKind;
  riskGroupId: string | null;
  sizes: SizeForm[];
  phases: PhaseForm[];
}

/** What the editor needs to know about the plan's brand. */
export interface PlanBrand {
  locales: readonly string[];
  defaultLocale: string;
  currency: string;
  timeZone: string;
}

export const newId = (): string =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** The languages the editor offers: the brand's, then any the version already has text in. */
export function planLocales(
  brand: Pick<PlanBrand, 'locales'>,
  version?: Pick<PlanVersionFieldsFragment, 'names' | 'descriptions'>,
) {
  const extra = [...(version?.names ?? []), ...(version?.descriptions ?? [])].map((l) => l.locale);
  return [...new Set([...brand.locales, ...extra])];
}

const text = (value: string | null | undefined) => value ?? '';
const count = (value: number | null | undefined) => (value == null ? '' : String(value));

function defaultFunded(): FundedForm {
  return {
    profitSplit: [{ upTo: '', pct: '80' }],
    payout: { firstAfterDays: '14', everyDays: '14', minAmount: '50.00' },
  };
}

/** The rules.md defaults (FTMO-style), with the day reset in the brand's time zone. */
export function defaultRules(timeZone: string, kind: PhaseKind = 'EVALUATION'): PhaseRulesForm {
  return {
    dayReset: { timeZone, localTime: '00:00' },
    breachComparison: 'BELOW',
    tradingDay: 'OPEN',
    passAt: 'EVENT',
    dailyLoss: { enabled: true, basis: 'pct', value: '5', reference: 'BALANCE', of: 'INITIAL', action: 'HARD' },
    maxLoss: { enabled: true, basis: 'pct', value: '10', mode: 'STATIC', lockAtEnabled: false, lockAt: '' },
    maxLossPerTrade: { enabled: false, basis: 'pct', value: '', action: 'HARD' },
    profitTarget: {
      enabled: kind !== 'FUNDED',
      pct: kind === 'VERIFICATION' ? '5' : '10',
      requireFlat: true,
      measure: 'BALANCE',
    },
    minTradingDays: kind === 'FUNDED' ? '0' : '4',
    maxTradingDays: { enabled: false, value: '' },
    maxDays: { enabled: false, value: '' },
    maxInactiveDays: { enabled: false, value: '' },
    consistency: {
      enabled: false,
      maxBestDayPct: '',
      denominator: 'NET_PROFIT',
      comparison: 'AT_MOST',
      basis: 'DAY',
    },
    minProfitableDays: { enabled: false, count: '', minPctOfInitial: '0' },
  };
}

/** A phase added in the editor: the defaults, its day reset in the brand's time zone. */
export function newPhase(brand: Pick<PlanBrand, 'timeZone'>, kind: PhaseKind, name: string): PhaseForm {
  return {
    id: newId(),
    name,
    kind,
    advance: 'AUTOMATIC',
    warningThresholds: ['50', '80', '95'],
    rules: defaultRules(brand.timeZone, kind),
    funded: defaultFunded(),
  };
}

export function newSize(brand: Pick<PlanBrand, 'currency'>): SizeForm {
  return { id: newId(), balance: '', price: '', currency: brand.currency, overrides: [] };
}

function allowance(rule: { pct?: string | null; amount?: string | null } | null | undefined, fallback: string) {
  if (rule?.amount != null) return { basis: 'amount' as const, value: rule.amount };
  return { basis: 'pct' as const, value: rule?.pct ?? fallback };
}

export function rulesToForm(rules: PhaseRulesFieldsFragment): PhaseRulesForm {
  const d = defaultRules(rules.dayReset.timeZone);
  return {
    dayReset: { timeZone: rules.dayReset.timeZone, localTime: rules.dayReset.localTime },
    breachComparison: rules.breachComparison,
    tradingDay: rules.tradingDay,
    passAt: rules.passAt,
    dailyLoss: rules.dailyLoss
      ? {
          enabled: true,
          ...allowance(rules.dailyLoss, ''),
          reference: rules.dailyLoss.reference,
          of: rules.dailyLoss.of,
          action: rules.dailyLoss.action,
        }
      : { ...d.dailyLoss, enabled: false },
    maxLoss: rules.maxLoss
      ? {
          enabled: true,
          ...allowance(rules.maxLoss, ''),
          mode: rules.maxLoss.mode,
          lockAtEnabled: rules.maxLoss.lockAt != null,
          lockAt: text(rules.maxLoss.lockAt),
        }
      : { ...d.maxLoss, enabled: false },
    maxLossPerTrade: rules.maxLossPerTrade
      ? { enabled: true, ...allowance(rules.maxLossPerTrade, ''), action: rules.maxLossPerTrade.action }
      : { ...d.maxLossPerTrade, enabled: false },
    profitTarget: rules.profitTarget
      ? {
          enabled: true,
          pct: rules.profitTarget.pct,
          requireFlat: rules.profitTarget.requireFlat,
          measure: rules.profitTarget.measure,
        }
      : { ...d.profitTarget, enabled: false },
    minTradingDays: String(rules.minTradingDays),
    maxTradingDays: { enabled: rules.maxTradingDays != null, value: count(rules.maxTradingDays) },
    maxDays: { enabled: rules.maxDays != null, value: count(rules.maxDays) },
    maxInactiveDays: { enabled: rules.maxInactiveDays != null, value: count(rules.maxInactiveDays) },
    consistency: rules.consistency
      ? {
          enabled: true,
          maxBestDayPct: rules.consistency.maxBestDayPct,
          denominator: rules.consistency.denominator,
          comparison: rules.consistency.comparison,
          basis: rules.consistency.basis,
        }
      : d.consistency,
    minProfitableDays: rules.minProfitableDays
      ? {
          enabled: true,
          count: String(rules.minProfitableDays.count),
          minPctOfInitial: rules.minProfitableDays.minPctOfInitial,
        }
      : d.minProfitableDays,
  };
}

export function versionToForm(version: PlanVersionFieldsFragment, brand: Pick<PlanBrand, 'locales'>): PlanForm {
  const locales = planLocales(brand, version);
  const byLocale = (list: { locale: string; text: string }[]) =>
    Object.fromEntries(locales.map((code) => [code, list.find((l) => l.locale === code)?.text ?? '']));
  return {
    names: byLocale(version.names),
    descriptions: byLocale(version.descriptions),
    kind: version.kind,
    platform: version.platform,
    riskGroupId: version.riskGroupId ?? null,
    sizes: version.sizes.map((s) => ({
      id: s.id,
      balance: s.balance,
      price: s.price,
      currency: s.currency,
      overrides: s.overrides.map((o) => ({ phaseId: o.phaseId, field: o.field, amount: o.amount })),
    })),
    phases: version.phases.map((p) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      advance: p.advance,
      warningThresholds: p.warningThresholds.map(String),
      rules: rulesToForm(p.rules),
      funded: p.funded
        ? {
            profitSplit: p.funded.profitSplit.map((tier) => ({ upTo: text(tier.upTo), pct: tier.pct })),
            payout: {
              firstAfterDays: String(p.funded.payout.firstAfterDays),
              everyDays: String(p.funded.payout.everyDays),
              minAmount: p.funded.payout.minAmount,
            },
          }
        : defaultFunded(),
    })),
  };
}

const trim = (value: string) => value.trim();
const int = (value: string) => Number.parseInt(value.trim(), 10);
const optionalInt = (rule: { enabled: boolean; value: string }) => (rule.enabled ? int(rule.value) : null);
const split = (basis: Basis, value: string) =>
  basis === 'pct' ? { pct: trim(value), amount: null } : { pct: null, amount: trim(value) };

export function rulesToInput(r: PhaseRulesForm): PhaseRulesInput {
  return {
    dayReset: { timeZone: trim(r.dayReset.timeZone), localTime: trim(r.dayReset.localTime) },
    breachComparison: r.breachComparison,
    tradingDay: r.tradingDay,
    passAt: r.passAt,
    dailyLoss: r.dailyLoss.enabled
      ? {
          ...split(r.dailyLoss.basis, r.dailyLoss.value),
          reference: r.dailyLoss.reference,
          of: r.dailyLoss.of,
          action: r.dailyLoss.action,
        }
      : null,
    maxLoss: r.maxLoss.enabled
      ? {
          ...split(r.maxLoss.basis, r.maxLoss.value),
          mode: r.maxLoss.mode,
          lockAt: r.maxLoss.lockAtEnabled ? trim(r.maxLoss.lockAt) : null,
        }
      : null,
    maxLossPerTrade: r.maxLossPerTrade.enabled
      ? { ...split(r.maxLossPerTrade.basis, r.maxLossPerTrade.value), action: r.maxLossPerTrade.action }
      : null,
    profitTarget: r.profitTarget.enabled
      ? { pct: trim(r.profitTarget.pct), requireFlat: r.profitTarget.requireFlat, measure: r.profitTarget.measure }
      : null,
    minTradingDays: r.minTradingDays.trim() === '' ? 0 : int(r.minTradingDays),
    maxTradingDays: optionalInt(r.maxTradingDays),
    maxDays: optionalInt(r.maxDays),
    maxInactiveDays: optionalInt(r.maxInactiveDays),
    consistency: r.consistency.enabled
      ? {
          maxBestDayPct: trim(r.consistency.maxBestDayPct),
          denominator: r.consistency.denominator,
          comparison: r.consistency.comparison,
          basis: r.consistency.basis,
        }
      : null,
    minProfitableDays: r.minProfitableDays.enabled
      ? {
          count: int(r.minProfitableDays.count),
          minPctOfInitial: trim(r.minProfitableDays.minPctOfInitial) || '0',
        }
      : null,
  };
}

function phaseToInput(p: PhaseForm): PhaseInput {
  return {
    id: p.id,
    name: p.name.trim(),
    kind: p.kind,
    advance: p.advance,
    warningThresholds: p.warningThresholds.map(int),
    rules: rulesToInput(p.rules),
    funded:
      p.kind === 'FUNDED'
        ? {
            profitSplit: p.funded.profitSplit.map((tier) => ({
              upTo: tier.upTo.trim() === '' ? null : tier.upTo.trim(),
              pct: trim(tier.pct),
            })),
            payout: {
              firstAfterDays: int(p.funded.payout.firstAfterDays),
              everyDays: int(p.funded.payout.everyDays),
              minAmount: trim(p.funded.payout.minAmount),
            },
          }
        : null,
  };
}

/**
 * The whole content for `updatePlan`/`createPlan`: every field, phase and size ids kept (so
 * overrides and the phase order survive), texts only for languages that have one, in `locales` order.
 */
export function formToInput(v: PlanForm, locales: readonly string[]): PlanInput {
  const texts = (record: Record<string, string>) =>
    [...new Set([...locales, ...Object.keys(record)])]
      .map((locale) => ({ locale, text: (record[locale] ?? '').trim() }))
      .filter((l) => l.text.length > 0);
  const phaseIds = new Set(v.phases.map((p) => p.id));
  return {
    names: texts(v.names),
    descriptions: texts(v.descriptions),
    kind: v.kind,
    platform: v.platform,
    riskGroupId: v.riskGroupId,
    sizes: v.sizes.map((s) => ({
      id: s.id,
      balance: trim(s.balance),
      price: trim(s.price),
      currency: trim(s.currency).toUpperCase(),
      // An override of a phase that was removed goes with it.
      overrides: s.overrides
        .filter((o) => phaseIds.has(o.phaseId))
        .map((o) => ({ phaseId: o.phaseId, field: o.field, amount: trim(o.amount) })),
    })),
    phases: v.phases.map(phaseToInput),
  };
}

/** The content of a blank plan: one evaluation and a funded phase, one size in the brand's currency. */
export function blankPlanInput(
  brand: PlanBrand,
  names: { plan: string; evaluation: string; funded: string },
): PlanInput {
  const form: PlanForm = {
    names: { [brand.defaultLocale]: names.plan },
    descriptions: {},
    kind: 'ONE_STEP',
    platform: 'SIMULATOR',
    riskGroupId: null,
    sizes: [{ ...newSize(brand), balance: '10000.00', price: '100.00' }],
    phases: [newPhase(brand, 'EVALUATION', names.evaluation), newPhase(brand, 'FUNDED', names.funded)],
  };
  return formToInput(form, brand.locales);
}

// ----- client-side checks (quick feedback; the API still validates everything) -----

const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

/**
 * Only what the inputs can say without knowing the rules engine: numbers that are numbers and
 * names that are there. Cross-rule checks (a daily loss below the max loss, a funded phase last)
 * are the API's, and its messages land on the same fields.
 */
export function planSchema(t: Translate) {
  const required = z.string().trim().min(1, t('validation.required'));
  const decimal = z.string().trim().regex(DECIMAL, t('validation.decimal'));
  const whole = z.string().trim().regex(WHOLE, t('validation.wholeNumber'));
  const when = (on: boolean, value: string, schema: z.ZodTypeAny, path: (string | number)[], ctx: z.RefinementCtx) => {
    if (!on) return;
    const result = schema.safeParse(value);
    if (!result.success) ctx.addIssue({ code: 'custom', path, message: result.error.issues[0]!.message });
  };

  const rules = z
    .object({
      dayReset: z.object({
        timeZone: required,
        localTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, t('validation.localTime')),
      }),
      minTradingDays: z.string().trim().regex(/^\d*$/, t('validation.wholeNumber')),
    })
    .passthrough()
    .superRefine((value, ctx) => {
      const r = value as unknown as PhaseRulesForm;
      when(r.dailyLoss.enabled, r.dailyLoss.value, decimal, ['dailyLoss', 'value'], ctx);
      when(r.maxLoss.enabled, r.maxLoss.value, decimal, ['maxLoss', 'value'], ctx);
      when(r.maxLoss.enabled && r.maxLoss.lockAtEnabled, r.maxLoss.lockAt, decimal, ['maxLoss', 'lockAt'], ctx);
      when(r.maxLossPerTrade.enabled, r.maxLossPerTrade.value, decimal, ['maxLossPerTrade', 'value'], ctx);
      when(r.profitTarget.enabled, r.profitTarget.pct, decimal, ['profitTarget', 'pct'], ctx);
      for (const key of ['maxTradingDays', 'maxDays', 'maxInactiveDays'] as const) {
        when(r[key].enabled, r[key].value, whole, [key, 'value'], ctx);
      }
      when(r.consistency.enabled, r.consistency.maxBestDayPct, decimal, ['consistency', 'maxBestDayPct'], ctx);
      when(r.minProfitableDays.enabled, r.minProfitableDays.count, whole, ['minProfitableDays', 'count'], ctx);
      when(
        r.minProfitableDays.enabled,
        r.minProfitableDays.minPctOfInitial || '0',
        decimal,
        ['minProfitableDays', 'minPctOfInitial'],
        ctx,
      );
    });

  const phase = z
    .object({
      name: required,
      warningThresholds: z.array(z.string().trim().regex(WHOLE, t('validation.wholeNumber'))),
      rules,
    })
    .passthrough()
    .superRefine((value, ctx) => {
      const p = value as unknown as PhaseForm;
      if (p.kind !== 'FUNDED') return;
      p.funded.profitSplit.forEach((tier, i) => {
        when(true, tier.pct, decimal, ['funded', 'profitSplit', i, 'pct'], ctx);
        when(tier.upTo.trim() !== '', tier.upTo, decimal, ['funded', 'profitSplit', i, 'upTo'], ctx);
      });
      when(true, p.funded.payout.firstAfterDays, whole, ['funded', 'payout', 'firstAfterDays'], ctx);
      when(true, p.funded.payout.everyDays, whole, ['funded', 'payout', 'everyDays'], ctx);
      when(true, p.funded.payout.minAmount, decimal, ['funded', 'payout', 'minAmount'], ctx);
    });

  const size = z
    .object({
      balance: decimal,
      price: decimal,
      currency: z
        .string()
        .trim()
        .regex(/^[A-Za-z]{3}$/, t('validation.currency')),
      overrides: z.array(z.object({ amount: decimal }).passthrough()),
    })
    .passthrough();

  return z
    .object({
      names: z.record(z.string()),
      sizes: z.array(size),
      phases: z.array(phase),
    })
    .passthrough()
    .superRefine((value, ctx) => {
      const names = Object.entries(value.names);
      if (names.length > 0 && names.every(([, v]) => v.trim() === '')) {
        ctx.addIssue({ code: 'custom', path: ['names', names[0]![0]], message: t('validation.planName') });
      }
    });
}

// ----- where the API's field errors go -----

const RULE_COUNTS = new Set(['maxTradingDays', 'maxDays', 'maxInactiveDays']);
const RULE_OBJECTS = new Set(['consistency', 'minProfitableDays', 'profitTarget']);
const RULE_SCALARS = new Set(['breachComparison', 'tradingDay', 'passAt', 'minTradingDays']);

function rulesField(parts: string[]): string | null {
  const [rule, field] = parts;
  if (!rule) return null;
  if (RULE_SCALARS.has(rule)) return rule;
  if (rule === 'dayReset') return field === 'localTime' ? 'dayReset.localTime' : 'dayReset.timeZone';
  if (RULE_COUNTS.has(rule)) return `${rule}.value`;
  if (rule === 'dailyLoss' || rule === 'maxLoss' || rule === 'maxLossPerTrade') {
    if (field === 'pct' || field === 'amount') return `${rule}.value`;
    if (field === 'lockAt' && rule === 'maxLoss') return 'maxLoss.lockAt';
    if (field && ['reference', 'of', 'action', 'mode'].includes(field)) return `${rule}.${field}`;
    return `${rule}.enabled`;
  }
  if (RULE_OBJECTS.has(rule)) return field ? `${rule}.${field}` : `${rule}.enabled`;
  return null;
}

function phaseField(parts: string[]): string | null {
  const [field, ...rest] = parts;
  switch (field) {
    case 'name':
    case 'kind':
    case 'advance':
    case 'warningThresholds':
      return field;
    case 'rules': {
      const inner = rulesField(rest);
      return inner ? `rules.${inner}` : null;
    }
    case 'funded': {
      const [group, index, leaf] = rest;
      if (group === 'profitSplit') {
        if (index !== undefined && /^\d+$/.test(index) && (leaf === 'upTo' || leaf === 'pct')) {
          return `funded.profitSplit.${index}.${leaf}`;
        }
        return 'funded.profitSplitError';
      }
      if (group === 'payout' && index && ['firstAfterDays', 'everyDays', 'minAmount'].includes(index)) {
        return `funded.payout.${index}`;
      }
      return 'funded.error';
    }
    default:
      return null;
  }
}

/**
 * The form field an API field path names, or null when it names none (then the message shows at
 * form level). `input` is what was sent: its `names[i]` tells which language index `i` was.
 * ['input','phases','0','rules','dailyLoss','pct'] → 'phases.0.rules.dailyLoss.value'.
 */
export function planFieldForPath(path: readonly string[], input: PlanInput): string | null {
  const parts = path[0] === 'input' ? path.slice(1) : [...path];
  const [head, index, ...rest] = parts;
  switch (head) {
    case 'names':
    case 'descriptions': {
      const list = head === 'names' ? input.names : (input.descriptions ?? []);
      const locale = index !== undefined ? list[Number(index)]?.locale : undefined;
      return locale ? `${head}.${locale}` : `${head}Error`;
    }
    case 'kind':
    case 'platform':
    case 'riskGroupId':
      return head;
    case 'sizes': {
      if (index === undefined || !/^\d+$/.test(index)) return 'sizesError';
      const [field, o, leaf] = rest;
      if (field === 'balance' || field === 'price' || field === 'currency') return `sizes.${index}.${field}`;
      if (field === 'overrides' && o !== undefined && /^\d+$/.test(o)) {
        return `sizes.${index}.overrides.${o}.${leaf === 'phaseId' || leaf === 'field' ? leaf : 'amount'}`;
      }
      return `sizes.${index}.balance`;
    }
    case 'phases': {
      if (index === undefined || !/^\d+$/.test(index)) return 'phasesError';
      const inner = phaseField(rest);
      return inner ? `phases.${index}.${inner}` : `phases.${index}.name`;
    }
    default:
      return null;
  }
}

export interface PlacedErrors {
  /** Form field name → message (several problems on one field joined with "; "). */
  fields: Record<string, string>;
  /** Messages that belong to no field. */
  form: string[];
}

/** Places every API field problem on its form field; see `planFieldForPath`. */
export function placePlanErrors(
  problems: readonly { message: string; fields: readonly { path: readonly string[]; message: string }[] }[],
  input: PlanInput,
): PlacedErrors {
  const placed: PlacedErrors = { fields: {}, form: [] };
  for (const problem of problems) {
    if (problem.fields.length === 0) {
      placed.form.push(problem.message);
      continue;
    }
    for (const { path, message } of problem.fields) {
      const field = planFieldForPath(path, input);
      if (field) placed.fields[field] = placed.fields[field] ? `${placed.fields[field]}; ${message}` : message;
      else placed.form.push(`${path.filter((p) => p !== 'input').join('.')}: ${message}`);
    }
  }
  return placed;
}

/** The phase index a form field name belongs to (`phases.2.rules…` → 2), else null. */
export function phaseIndexOf(field: string): number | null {
  const match = /^phases\.(\d+)\./.exec(field);
  return match ? Number(match[1]) : null;
}

/** Which editor tab shows a form field. */
export function tabOf(field: string): 'details' | 'sizes' | 'phases' {
  if (field.startsWith('sizes')) return 'sizes';
  if (field.startsWith('phases')) return 'phases';
  return 'details';
}
