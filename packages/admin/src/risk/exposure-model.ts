import type { AssetClass, ExposureFieldsFragment } from '../gql/graphql';

export type ChartBy = 'symbol' | 'assetClass';

export interface ExposureBar {
  /** A symbol, or an asset class code. */
  key: string;
  assetClass?: AssetClass;
  /** Net value in the reporting currency; positive is net long. */
  value: number;
  floatingPnl: number;
}

const num = (value: string | null | undefined) => {
  const n = Number(value);
  return value === null || value === undefined || !Number.isFinite(n) ? 0 : n;
};

/**
 * The bars of the exposure chart: net value per symbol (priced symbols only) or per asset class,
 * largest absolute value first, at most `limit` bars (the rest are in the table).
 */
export function exposureBars(exposure: ExposureFieldsFragment, by: ChartBy, limit = 20): ExposureBar[] {
  const bars: ExposureBar[] =
    by === 'symbol'
      ? exposure.symbols
          .filter((s) => s.value !== null && s.value !== undefined)
          .map((s) => ({
            key: s.symbol,
            assetClass: s.assetClass,
            value: num(s.value),
            floatingPnl: num(s.floatingPnl),
          }))
      : exposure.assetClasses.map((c) => ({
          key: c.assetClass,
          assetClass: c.assetClass,
          value: num(c.netValue),
          floatingPnl: num(c.floatingPnl),
        }));
  return bars.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.key.localeCompare(b.key)).slice(0, limit);
}

/** Symbols in table order: largest absolute net value first, unpriced ones last, then by name. */
export function symbolRows<S extends { symbol: string; value?: string | null }>(symbols: readonly S[]): S[] {
  return [...symbols].sort((a, b) => {
    const av = a.value == null ? -1 : Math.abs(num(a.value));
    const bv = b.value == null ? -1 : Math.abs(num(b.value));
    return bv - av || a.symbol.localeCompare(b.symbol);
  });
}
