/**
 * Risk groups (rules.md, "CFD risk"): per brand, a maximum leverage per asset class with overrides
 * per symbol, margin-call and stop-out levels, hedging policy, book and negative balance protection.
 *
 * Pure data and pure functions: a group is a plain JSON-able object, validated and normalised by
 * `parseRiskGroup` (zod), and `effectiveLeverage` says what a position is margined at.
 */
import { z } from 'zod';
import { ASSET_CLASSES, type AssetClass, type Instrument } from '../platform/platform';
import { compareProducts, decimalText, MoneyError, parseDecimal, type Ratio } from '../rules/money';
import { RiskConfigError } from './errors';

export const HEDGING_POLICIES = ['HEDGING', 'NETTING'] as const;
export type HedgingPolicy = (typeof HEDGING_POLICIES)[number];

/** Where a group's client flow goes: A-book (passed on), B-book (the firm takes the other side) or per account by a rule. */
export const BOOK_POLICIES = ['A', 'B', 'BY_RULE'] as const;
export type BookPolicy = (typeof BOOK_POLICIES)[number];
/** The book an account's positions are in, once a BY_RULE group's rule has decided. */
export const BOOKS = ['A', 'B'] as const;
export type Book = (typeof BOOKS)[number];

/** Highest leverage a group or an account may have (1:10,000); leverages are whole numbers. */
export const MAX_LEVERAGE = 10_000;
/** Highest margin-call level accepted, in %. */
export const MAX_LEVEL_PCT = 1_000;

export interface RiskGroup {
  id: string;
  /** The brand the group belongs to. */
  brand: string;
  name: string;
  /** Maximum leverage per asset class (every class present): 30 means 1:30. */
  leverage: Record<AssetClass, number>;
  /** Maximum leverage per symbol, replacing its class's (gold 20 while the class METAL is 10). */
  symbolLeverage: Record<string, number>;
  /** Margin level (%) at or under which new positions are refused and a margin call is raised, as a decimal string. */
  marginCallLevel: string;
  /** Margin level (%) under which positions are closed, largest loss first; below `marginCallLevel`. */
  stopOutLevel: string;
  hedging: HedgingPolicy;
  book: BookPolicy;
  negativeBalanceProtection: boolean;
}

// ---------------------------------------------------------------------------------------------
// ESMA retail defaults
// ---------------------------------------------------------------------------------------------

/**
 * ESMA retail leverage limits by class, with each class at its *lowest* ESMA value: "other"
 * metals (silver, platinum) and non-major indices are 1:10, so a symbol the table below does not
 * know errs on the safe side. The classes are the platform's: ESMA itself calls every pair of
 * USD, EUR, JPY, GBP, CAD and CHF a major (so EURGBP, EURJPY, GBPJPY would be 1:30 and AUDUSD
 * 1:20); a broker who wants the letter of ESMA adds those as symbol overrides.
 */
export const ESMA_RETAIL_LEVERAGE: Readonly<Record<AssetClass, number>> = {
  FX_MAJOR: 30,
  FX_MINOR: 20,
  METAL: 10,
  INDEX: 10,
  COMMODITY: 10,
  EQUITY: 5,
  CRYPTO: 2,
};

/** ESMA's major indices (FTSE 100, CAC 40, DAX, Dow, S&P 500, Nasdaq 100, Nikkei 225, ASX 200, Euro Stoxx 50) under the usual CFD names. */
export const ESMA_MAJOR_INDEX_SYMBOLS = [
  'UK100',
  'FR40',
  'FRA40',
  'DE40',
  'GER40',
  'DE30',
  'GER30',
  'US30',
  'DJ30',
  'US500',
  'SPX500',
  'US100',
  'NAS100',
  'USTEC',
  'JP225',
  'JPN225',
  'AUS200',
  'EU50',
  'EUSTX50',
  'STOXX50',
] as const;

/** Gold is 1:20 under ESMA while other metals are 1:10. */
export const ESMA_GOLD_SYMBOLS = ['XAUUSD', 'XAUEUR', 'GOLD'] as const;

/**
 * Symbol overrides of the ESMA retail defaults: gold and the major indices at 1:20. Of the
 * simulator's instruments that is XAUUSD (XAGUSD stays at the METAL class's 1:10) and all four
 * indices (US500, US100, DE40, JP225).
 */
export const ESMA_RETAIL_SYMBOL_LEVERAGE: Readonly<Record<string, number>> = Object.fromEntries([
  ...ESMA_GOLD_SYMBOLS.map((s) => [s, 20] as const),
  ...ESMA_MAJOR_INDEX_SYMBOLS.map((s) => [s, 20] as const),
]);

export const DEFAULT_MARGIN_CALL_LEVEL = '100';
export const DEFAULT_STOP_OUT_LEVEL = '50';

// ---------------------------------------------------------------------------------------------
// Effective leverage
// ---------------------------------------------------------------------------------------------

/** The group's maximum leverage for an instrument: its symbol override, else its class's. */
export function groupLeverage(group: RiskGroup, instrument: Pick<Instrument, 'symbol' | 'assetClass'>): number {
  const override = group.symbolLeverage[instrument.symbol];
  return override !== undefined ? override : group.leverage[instrument.assetClass];
}

/**
 * Leverage a position is margined at: the group's maximum for the instrument (symbol override,
 * else class), lowered to the account's own leverage when that is given and smaller.
 */
export function effectiveLeverage(
  group: RiskGroup,
  instrument: Pick<Instrument, 'symbol' | 'assetClass'>,
  accountLeverage?: number,
): number {
  const max = groupLeverage(group, instrument);
  return accountLeverage !== undefined && accountLeverage < max ? accountLeverage : max;
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

const leverageField = z
  .number({ invalid_type_error: 'Leverage must be a whole number such as 30 (for 1:30)' })
  .int('Leverage must be a whole number such as 30 (for 1:30)')
  .min(1, 'Leverage must be at least 1')
  .max(MAX_LEVERAGE, `Leverage must be at most ${MAX_LEVERAGE}`);

/** A margin level in %, given as a string or number, normalised to a decimal string. */
const levelField = z.union([z.string(), z.number()]).transform((raw, ctx) => {
  try {
    const text = decimalText(raw);
    const ratio = parseDecimal(text);
    if (ratio.num < 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'A level cannot be negative' });
      return z.NEVER;
    }
    if (compareProducts(ratio.num, 1, MAX_LEVEL_PCT, ratio.den) > 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `A level must be at most ${MAX_LEVEL_PCT} %` });
      return z.NEVER;
    }
    return text.replace(/^\+/, '');
  } catch (error) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: error instanceof MoneyError ? error.message : 'Must be a decimal number such as "50"',
    });
    return z.NEVER;
  }
});

const nonEmpty = z.string().trim().min(1, 'Required');

const leverageShape = Object.fromEntries(ASSET_CLASSES.map((c) => [c, leverageField.optional()])) as Record<
  AssetClass,
  z.ZodOptional<typeof leverageField>
>;

export const riskGroupSchema = z
  .object({
    id: nonEmpty,
    brand: nonEmpty,
    name: nonEmpty,
    /** Missing classes take the ESMA retail default. */
    leverage: z.object(leverageShape).strict().optional(),
    /** Missing: the ESMA retail overrides (gold, major indices); `{}` for none. */
    symbolLeverage: z.record(nonEmpty, leverageField).optional(),
    marginCallLevel: levelField.optional(),
    stopOutLevel: levelField.optional(),
    hedging: z.enum(HEDGING_POLICIES).default('HEDGING'),
    book: z.enum(BOOK_POLICIES).default('B'),
    /** On by default: ESMA requires it for retail clients. */
    negativeBalanceProtection: z.boolean().default(true),
  })
  .strict()
  .transform((value, ctx): RiskGroup => {
    const leverage = { ...ESMA_RETAIL_LEVERAGE };
    for (const assetClass of ASSET_CLASSES) {
      const given = value.leverage?.[assetClass];
      if (given !== undefined) leverage[assetClass] = given;
    }
    const marginCallLevel = value.marginCallLevel ?? DEFAULT_MARGIN_CALL_LEVEL;
    const stopOutLevel = value.stopOutLevel ?? DEFAULT_STOP_OUT_LEVEL;
    const mc = parseDecimal(marginCallLevel);
    const so = parseDecimal(stopOutLevel);
    if (mc.num === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['marginCallLevel'], message: 'Must be above 0 %' });
    }
    if (compareProducts(so.num, mc.den, mc.num, so.den) >= 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['stopOutLevel'],
        message: `The stop-out level must be below the margin-call level (${marginCallLevel} %)`,
      });
    }
    return {
      id: value.id,
      brand: value.brand,
      name: value.name,
      leverage,
      symbolLeverage: { ...(value.symbolLeverage ?? ESMA_RETAIL_SYMBOL_LEVERAGE) },
      marginCallLevel,
      stopOutLevel,
      hedging: value.hedging,
      book: value.book,
      negativeBalanceProtection: value.negativeBalanceProtection,
    };
  });

export type RiskGroupInput = z.input<typeof riskGroupSchema>;

/** Validates and normalises a risk group; throws `RiskConfigError` with field paths. */
export function parseRiskGroup(input: unknown): RiskGroup {
  const result = riskGroupSchema.safeParse(input);
  if (result.success) return result.data;
  throw new RiskConfigError(result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })));
}

/** An ESMA retail group with the default levels (100 % / 50 %), B-book, hedging, protection on. */
export function esmaRetailGroup(id: string, brand: string, name = 'Retail (ESMA)'): RiskGroup {
  return parseRiskGroup({ id, brand, name });
}

/** The margin-call and stop-out levels of a group as exact ratios (of a percent). */
export function groupLevels(group: RiskGroup): { marginCall: Ratio; stopOut: Ratio } {
  return { marginCall: parseDecimal(group.marginCallLevel), stopOut: parseDecimal(group.stopOutLevel) };
}

// ---------------------------------------------------------------------------------------------
// "Change margin requirement"
// ---------------------------------------------------------------------------------------------

/** What a margin change applies to: a whole asset class, or a list of symbols. */
export type LeverageTarget = { assetClass: AssetClass } | { symbols: string[] };

export interface MarginChange {
  brand: string;
  /** Risk group ids of the brand; absent or empty: every group of the brand. */
  riskGroups?: string[];
  target: LeverageTarget;
  /** The new maximum leverage, e.g. 10 for 1:10. */
  leverage: number;
}

export const marginChangeSchema = z
  .object({
    brand: nonEmpty,
    riskGroups: z.array(nonEmpty).optional(),
    target: z.union([
      z.object({ assetClass: z.enum(ASSET_CLASSES) }).strict(),
      z.object({ symbols: z.array(nonEmpty).min(1, 'Choose at least one symbol') }).strict(),
    ]),
    leverage: leverageField,
  })
  .strict();

/** Validates a margin change; throws `RiskConfigError` with field paths. */
export function parseMarginChange(input: unknown): MarginChange {
  const result = marginChangeSchema.safeParse(input);
  if (result.success) return result.data;
  throw new RiskConfigError(
    result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    'margin change',
  );
}

/**
 * The group after a margin change. For an asset class, the class maximum becomes `leverage` and
 * the overrides of that class's symbols (known from `instruments`) are dropped: every symbol of
 * the class then has the new maximum, which is what "1:10 on metals" means to the person asking
 * (gold too). For symbols, each gets an override. Overrides of symbols not in `instruments` are
 * kept, since their class is unknown.
 */
export function withLeverageChange(
  group: RiskGroup,
  target: LeverageTarget,
  leverage: number,
  instruments: Iterable<Pick<Instrument, 'symbol' | 'assetClass'>>,
): RiskGroup {
  const symbolLeverage = { ...group.symbolLeverage };
  if ('assetClass' in target) {
    for (const instrument of instruments) {
      if (instrument.assetClass === target.assetClass) delete symbolLeverage[instrument.symbol];
    }
    return { ...group, leverage: { ...group.leverage, [target.assetClass]: leverage }, symbolLeverage };
  }
  for (const symbol of target.symbols) symbolLeverage[symbol] = leverage;
  return { ...group, symbolLeverage };
}

/** The symbols of `instruments` a target names (an unknown symbol is ignored: nobody holds it). */
export function targetSymbols(
  target: LeverageTarget,
  instruments: Iterable<Pick<Instrument, 'symbol' | 'assetClass'>>,
): string[] {
  const out: string[] = [];
  if ('assetClass' in target) {
    for (const i of instruments) if (i.assetClass === target.assetClass) out.push(i.symbol);
    return out;
  }
  const wanted = new Set(target.symbols);
  for (const i of instruments) if (wanted.has(i.symbol)) out.push(i.symbol);
  return out;
}
