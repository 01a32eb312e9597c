import { z } from 'zod';
import type {
  AssetClass,
  MarginChangeFieldsFragment,
  MarginChangeInput,
  PreviewMarginChangeQuery,
} from '../gql/graphql';
import type { Translate } from '../i18n/LocaleProvider';
import { MAX_LEVERAGE, worsens } from './format';

export type Preview = PreviewMarginChangeQuery['previewMarginChange'];
export type PreviewRow = Preview['accounts'][number];

export interface ChangeFormValues {
  /** A whole asset class, or a list of symbols. */
  target: 'assetClass' | 'symbols';
  assetClass: AssetClass | '';
  symbols: string[];
  leverage: number | '';
  /** Empty: every risk group of the brand. */
  riskGroupIds: string[];
}

/** Form fields, which are also the API's input paths without the leading `input`. */
export const CHANGE_FIELDS = ['assetClass', 'symbols', 'leverage', 'riskGroupIds'] as const;

export const emptyChangeForm = (): ChangeFormValues => ({
  target: 'assetClass',
  assetClass: '',
  symbols: [],
  leverage: '',
  riskGroupIds: [],
});

export function changeSchema(t: Translate) {
  return z
    .object({
      target: z.enum(['assetClass', 'symbols']),
      assetClass: z.union([
        z.enum(['FX_MAJOR', 'FX_MINOR', 'METAL', 'INDEX', 'COMMODITY', 'EQUITY', 'CRYPTO']),
        z.literal(''),
      ]),
      symbols: z.array(z.string()),
      leverage: z.union([z.number(), z.literal('')]),
      riskGroupIds: z.array(z.string()),
    })
    .superRefine((v, ctx) => {
      if (v.target === 'assetClass' && !v.assetClass) {
        ctx.addIssue({ code: 'custom', path: ['assetClass'], message: t('risk.change.chooseClass') });
      }
      if (v.target === 'symbols' && v.symbols.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['symbols'], message: t('risk.change.chooseSymbols') });
      }
      if (v.leverage === '' || !Number.isInteger(v.leverage) || v.leverage < 1) {
        ctx.addIssue({ code: 'custom', path: ['leverage'], message: t('risk.validation.leverage') });
      } else if (v.leverage > MAX_LEVERAGE) {
        ctx.addIssue({
          code: 'custom',
          path: ['leverage'],
          message: t('risk.validation.leverageMax', { max: MAX_LEVERAGE }),
        });
      }
    });
}

export function toMarginChangeInput(brandId: string, v: ChangeFormValues): MarginChangeInput {
  return {
    brandId,
    leverage: Number(v.leverage),
    riskGroupIds: v.riskGroupIds.length > 0 ? [...v.riskGroupIds] : null,
    ...(v.target === 'assetClass' ? { assetClass: v.assetClass as AssetClass } : { symbols: [...v.symbols] }),
  };
}

/** Whether a preview row is highlighted: the account falls into margin call or stop-out with the change. */
export const fallsIn = (row: Pick<PreviewRow, 'statusBefore' | 'statusAfter'>) =>
  worsens(row.statusBefore, row.statusAfter);

/** Preview rows in the order a risk manager reads them: newly in stop-out, then newly in margin call, then the rest by login. */
export function previewRows(rows: readonly PreviewRow[]): PreviewRow[] {
  const rank = (r: PreviewRow) => (!fallsIn(r) ? 2 : r.statusAfter === 'STOP_OUT' ? 0 : 1);
  return [...rows].sort((a, b) => rank(a) - rank(b) || a.login.localeCompare(b.login, 'en', { numeric: true }));
}

/** Progress of a change's platform pushes, in % (finished changes are 100). */
export function progressPct(view: Pick<MarginChangeFieldsFragment, 'total' | 'done' | 'failed' | 'finished'>): number {
  if (view.total === 0) return view.finished ? 100 : 0;
  return Math.min(100, Math.round(((view.done + view.failed) / view.total) * 100));
}

/** The later of two views of one change: progress only moves forward (a late query answer must not undo a pushed message). */
export function laterView<V extends Pick<MarginChangeFieldsFragment, 'done' | 'failed' | 'finished' | 'rolledBackBy'>>(
  a: V | undefined,
  b: V | undefined,
): V | undefined {
  if (!a) return b;
  if (!b) return a;
  const score = (v: V) => (v.finished ? 1e12 : 0) + v.done + v.failed + (v.rolledBackBy ? 1e13 : 0);
  return score(b) >= score(a) ? b : a;
}

/** A change can be rolled back once: not a rollback itself and not rolled back yet. */
export const canRollBack = (view: Pick<MarginChangeFieldsFragment, 'rollbackOf' | 'rolledBackBy'>) =>
  !view.rollbackOf && !view.rolledBackBy;
