import { z } from 'zod';
import type {
  AssetClass,
  BookPolicy,
  CreateRiskGroupInput,
  HedgingPolicy,
  RiskGroupFieldsFragment,
  UpdateRiskGroupInput,
} from '../gql/graphql';
import type { Translate } from '../i18n/LocaleProvider';
import { ASSET_CLASSES, MAX_LEVERAGE } from './format';

export interface GroupFormValues {
  name: string;
  platformGroup: string;
  leverage: Record<AssetClass, number>;
  symbolLeverage: { symbol: string; leverage: number }[];
  marginCallLevel: string;
  stopOutLevel: string;
  hedging: HedgingPolicy;
  book: BookPolicy;
  negativeBalanceProtection: boolean;
}

/** ESMA retail leverage (the API's defaults for a new group). */
export const ESMA_LEVERAGE: Record<AssetClass, number> = {
  FX_MAJOR: 30,
  FX_MINOR: 20,
  METAL: 10,
  INDEX: 10,
  COMMODITY: 10,
  EQUITY: 5,
  CRYPTO: 2,
};

/** A new group: ESMA retail leverage with gold at 1:20, levels 100 % / 50 %, B-book, hedging, protection on. */
export const emptyGroupForm = (): GroupFormValues => ({
  name: '',
  platformGroup: '',
  leverage: { ...ESMA_LEVERAGE },
  symbolLeverage: [{ symbol: 'XAUUSD', leverage: 20 }],
  marginCallLevel: '100',
  stopOutLevel: '50',
  hedging: 'HEDGING',
  book: 'B',
  negativeBalanceProtection: true,
});

export function groupFormValues(group: RiskGroupFieldsFragment): GroupFormValues {
  const leverage = {} as Record<AssetClass, number>;
  for (const c of ASSET_CLASSES) leverage[c] = group.leverage[c];
  return {
    name: group.name,
    platformGroup: group.platformGroup,
    leverage,
    symbolLeverage: group.symbolLeverage.map((s) => ({ symbol: s.symbol, leverage: s.leverage })),
    marginCallLevel: group.marginCallLevel,
    stopOutLevel: group.stopOutLevel,
    hedging: group.hedging,
    book: group.book,
    negativeBalanceProtection: group.negativeBalanceProtection,
  };
}

/**
 * Form field names, which are the API's input paths without the leading `input`
 * (`input.leverage.FX_MAJOR`, `input.symbolLeverage.2.leverage`), for `symbolCount` override rows.
 */
export function groupFields(symbolCount: number): string[] {
  return [
    'name',
    'platformGroup',
    ...ASSET_CLASSES.map((c) => `leverage.${c}`),
    ...Array.from({ length: symbolCount }, (_, i) => [
      `symbolLeverage.${i}.symbol`,
      `symbolLeverage.${i}.leverage`,
    ]).flat(),
    'symbolLeverage',
    'marginCallLevel',
    'stopOutLevel',
    'hedging',
    'book',
    'negativeBalanceProtection',
  ];
}

const LEVEL = /^\d+(\.\d+)?$/;

/** Quick checks in the browser; the API validates again and its field errors land on the same fields. */
export function groupSchema(t: Translate) {
  const leverage = z
    .number({ invalid_type_error: t('risk.validation.leverage') })
    .int(t('risk.validation.leverage'))
    .min(1, t('risk.validation.leverage'))
    .max(MAX_LEVERAGE, t('risk.validation.leverageMax', { max: MAX_LEVERAGE }));
  const level = z.string().trim().regex(LEVEL, t('risk.validation.level'));
  return z
    .object({
      name: z
        .string()
        .trim()
        .min(1, t('validation.required'))
        .max(80, t('validation.tooLong', { max: 80 })),
      platformGroup: z
        .string()
        .trim()
        .max(64, t('validation.tooLong', { max: 64 })),
      leverage: z.object(
        Object.fromEntries(ASSET_CLASSES.map((c) => [c, leverage])) as Record<AssetClass, typeof leverage>,
      ),
      symbolLeverage: z.array(
        z.object({ symbol: z.string().trim().min(1, t('validation.required')).max(32), leverage }),
      ),
      marginCallLevel: level,
      stopOutLevel: level,
      hedging: z.enum(['HEDGING', 'NETTING']),
      book: z.enum(['A', 'B', 'BY_RULE']),
      negativeBalanceProtection: z.boolean(),
    })
    .superRefine((value, ctx) => {
      const seen = new Map<string, number>();
      value.symbolLeverage.forEach((row, index) => {
        const symbol = row.symbol.trim().toUpperCase();
        if (!symbol) return;
        if (seen.has(symbol)) {
          ctx.addIssue({
            code: 'custom',
            path: ['symbolLeverage', index, 'symbol'],
            message: t('risk.validation.duplicateSymbol'),
          });
        }
        seen.set(symbol, index);
      });
      if (
        LEVEL.test(value.marginCallLevel.trim()) &&
        LEVEL.test(value.stopOutLevel.trim()) &&
        Number(value.stopOutLevel) >= Number(value.marginCallLevel)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['stopOutLevel'],
          message: t('risk.validation.stopOutBelow', { level: value.marginCallLevel.trim() }),
        });
      }
    });
}

function common(v: GroupFormValues) {
  return {
    name: v.name.trim(),
    platformGroup: v.platformGroup.trim() || undefined,
    leverage: { ...v.leverage },
    symbolLeverage: v.symbolLeverage.map((s) => ({ symbol: s.symbol.trim().toUpperCase(), leverage: s.leverage })),
    marginCallLevel: v.marginCallLevel.trim(),
    stopOutLevel: v.stopOutLevel.trim(),
    hedging: v.hedging,
    book: v.book,
    negativeBalanceProtection: v.negativeBalanceProtection,
  };
}

export const toCreateGroupInput = (brandId: string, v: GroupFormValues): CreateRiskGroupInput => ({
  brandId,
  ...common(v),
});

export const toUpdateGroupInput = (v: GroupFormValues): UpdateRiskGroupInput => common(v);
