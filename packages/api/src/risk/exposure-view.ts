/**
 * The exposure dashboard's figures from the live books: net exposure per symbol and per (brand,
 * risk group, book), per asset class, the firm's B-book risk, top accounts by exposure and by
 * floating P&L, and the margin-call list. Reads the in-memory books only (no I/O): the cost is the
 * number of aggregates plus one pass over the accounts and position rows, never the journal.
 */
import { formatMoney, minorUnitDigits } from '../rules/money';
import type { AssetClass } from '../platform/platform';
import { decimalSum, scaled, unscaled } from './decimal';
import type { Book } from './risk-group';
import type { MarginStatus } from './margin-book';
import type { PlatformBook } from './risk-live';

export interface ExposureViewFilter {
  riskGroup?: string;
  book?: Book;
  symbol?: string;
}

export interface SymbolExposureView {
  symbol: string;
  assetClass: AssetClass;
  positions: number;
  buyLots: string;
  sellLots: string;
  netLots: string;
  netUnits: string;
  value: string | null;
  floatingPnl: string | null;
}

export interface GroupExposureView extends SymbolExposureView {
  brandId: string;
  riskGroupId: string;
  riskGroupName: string;
  book: Book;
}

export interface AssetClassExposureView {
  assetClass: AssetClass;
  netValue: string;
  grossValue: string;
  floatingPnl: string;
}

export interface FirmRiskView {
  symbol: string;
  netLots: string;
  netUnits: string;
  value: string | null;
  floatingPnl: string | null;
}

export interface AccountRiskView {
  platformAccountId: string;
  login: string;
  brandId: string;
  riskGroupId: string;
  riskGroupName: string;
  book: Book;
  currency: string;
  balance: string;
  equity: string;
  margin: string;
  marginLevel: string | null;
  status: MarginStatus;
  inMarginCall: boolean;
  positions: number;
  /** Floating P&L in the account currency. */
  floatingPnl: string;
  /** Σ notional of its positions, in the reporting currency (null while unpriced). */
  exposure: string | null;
  /** Floating P&L in the reporting currency. */
  floatingPnlReporting: string | null;
}

export interface ExposureView {
  reportingCurrency: string;
  asOf: Date;
  floatingPnl: string;
  firmFloatingPnl: string;
  positions: number;
  accounts: number;
  symbols: SymbolExposureView[];
  groups: GroupExposureView[];
  assetClasses: AssetClassExposureView[];
  firmBBook: FirmRiskView[];
  topByExposure: AccountRiskView[];
  topByPnl: AccountRiskView[];
  marginCalls: AccountRiskView[];
  unpriced: string[];
}

export function exposureView(
  books: readonly PlatformBook[],
  options: { reportingCurrency: string; filter?: ExposureViewFilter; top?: number; groupName: (id: string) => string },
): ExposureView {
  const currency = options.reportingCurrency;
  const digits = minorUnitDigits(currency);
  const filter = { riskGroup: options.filter?.riskGroup, book: options.filter?.book, symbol: options.filter?.symbol };
  const top = options.top ?? 10;
  const assetClassOf = new Map<string, AssetClass>();
  const symbolRows = new Map<string, SymbolExposureView>();
  const groupRows = new Map<string, GroupExposureView>();
  const firm = new Map<string, FirmRiskView>();
  const unpriced = new Set<string>();
  let pnl = 0n;
  let firmPnl = 0n;
  const add = (a: string | null, b: string | null) => (a === null || b === null ? null : decimalSum([a, b]));

  for (const b of books) {
    for (const m of b.rates.symbols) assetClassOf.set(m.symbol, m.instrument.assetClass);
    const netted = b.exposure.snapshot({ reportingCurrency: currency, filter, groupBy: [] });
    for (const u of netted.unpriced) unpriced.add(u);
    pnl += scaled(netted.floatingPnl);
    firmPnl += scaled(netted.firmFloatingPnl);
    for (const r of netted.rows) {
      const known = symbolRows.get(r.symbol);
      const row: SymbolExposureView = {
        symbol: r.symbol,
        assetClass: assetClassOf.get(r.symbol) as AssetClass,
        positions: r.positions,
        buyLots: r.buyLots,
        sellLots: r.sellLots,
        netLots: r.netLots,
        netUnits: r.netUnits,
        value: r.value,
        floatingPnl: r.floatingPnl,
      };
      symbolRows.set(r.symbol, known ? merge(known, row, add) : row);
    }
    for (const f of netted.firmBBook) {
      const known = firm.get(f.symbol);
      firm.set(
        f.symbol,
        known
          ? {
              symbol: f.symbol,
              netLots: decimalSum([known.netLots, f.netLots], 2),
              netUnits: decimalSum([known.netUnits, f.netUnits]),
              value: add(known.value, f.value),
              floatingPnl: add(known.floatingPnl, f.floatingPnl),
            }
          : { ...f },
      );
    }
    const grouped = b.exposure.snapshot({
      reportingCurrency: currency,
      filter,
      groupBy: ['brand', 'riskGroup', 'book'],
    });
    for (const r of grouped.rows) {
      const key = `${r.brand}\u0000${r.riskGroup}\u0000${r.book}\u0000${r.symbol}`;
      const row: GroupExposureView = {
        brandId: r.brand as string,
        riskGroupId: r.riskGroup as string,
        riskGroupName: options.groupName(r.riskGroup as string),
        book: r.book as Book,
        symbol: r.symbol,
        assetClass: assetClassOf.get(r.symbol) as AssetClass,
        positions: r.positions,
        buyLots: r.buyLots,
        sellLots: r.sellLots,
        netLots: r.netLots,
        netUnits: r.netUnits,
        value: r.value,
        floatingPnl: r.floatingPnl,
      };
      const known = groupRows.get(key);
      groupRows.set(key, known ? { ...row, ...merge(known, row, add) } : row);
    }
  }

  const classes = new Map<AssetClass, { net: bigint; gross: bigint; pnl: bigint }>();
  for (const r of symbolRows.values()) {
    const c = classes.get(r.assetClass) ?? { net: 0n, gross: 0n, pnl: 0n };
    if (r.value !== null) {
      const v = scaled(r.value);
      c.net += v;
      c.gross += v < 0n ? -v : v;
    }
    if (r.floatingPnl !== null) c.pnl += scaled(r.floatingPnl);
    classes.set(r.assetClass, c);
  }

  const accounts = accountViews(books, currency, filter, options.groupName);
  const byExposure = accounts
    .filter((a) => a.exposure !== null && a.positions > 0)
    .sort((x, y) => cmpDesc(scaled(x.exposure as string), scaled(y.exposure as string)));
  const byPnl = accounts
    .filter((a) => a.floatingPnlReporting !== null && a.positions > 0)
    .sort((x, y) => cmpDesc(abs(scaled(x.floatingPnlReporting!)), abs(scaled(y.floatingPnlReporting!))));
  const money = (v: bigint) => unscaled(v, digits);
  return {
    reportingCurrency: currency,
    asOf: new Date(),
    floatingPnl: unscaled(pnl, digits),
    firmFloatingPnl: unscaled(firmPnl, digits),
    positions: [...symbolRows.values()].reduce((n, r) => n + r.positions, 0),
    accounts: accounts.length,
    symbols: [...symbolRows.values()].sort((x, y) => x.symbol.localeCompare(y.symbol)),
    groups: [...groupRows.values()].sort(
      (x, y) =>
        x.symbol.localeCompare(y.symbol) ||
        x.brandId.localeCompare(y.brandId) ||
        x.riskGroupName.localeCompare(y.riskGroupName) ||
        x.book.localeCompare(y.book),
    ),
    assetClasses: [...classes]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([assetClass, c]) => ({
        assetClass,
        netValue: money(c.net),
        grossValue: money(c.gross),
        floatingPnl: money(c.pnl),
      })),
    firmBBook: [...firm.values()].sort((x, y) => x.symbol.localeCompare(y.symbol)),
    topByExposure: byExposure.slice(0, top),
    topByPnl: byPnl.slice(0, top),
    marginCalls: accounts
      .filter((a) => a.inMarginCall || a.status === 'MARGIN_CALL' || a.status === 'STOP_OUT')
      .sort((x, y) => Number(x.marginLevel ?? 0) - Number(y.marginLevel ?? 0)),
    unpriced: [...unpriced].sort(),
  };
}

function merge(
  a: SymbolExposureView,
  b: SymbolExposureView,
  add: (x: string | null, y: string | null) => string | null,
): SymbolExposureView {
  return {
    symbol: a.symbol,
    assetClass: a.assetClass,
    positions: a.positions + b.positions,
    buyLots: decimalSum([a.buyLots, b.buyLots], 2),
    sellLots: decimalSum([a.sellLots, b.sellLots], 2),
    netLots: decimalSum([a.netLots, b.netLots], 2),
    netUnits: decimalSum([a.netUnits, b.netUnits]),
    value: add(a.value, b.value),
    floatingPnl: add(a.floatingPnl, b.floatingPnl),
  };
}

const abs = (v: bigint) => (v < 0n ? -v : v);
const cmpDesc = (x: bigint, y: bigint) => (x > y ? -1 : x < y ? 1 : 0);

/** Every account's live figures, with its gross notional (Σ margin · leverage of its positions). */
export function accountViews(
  books: readonly PlatformBook[],
  reportingCurrency: string,
  filter: ExposureViewFilter,
  groupName: (id: string) => string,
): AccountRiskView[] {
  const out: AccountRiskView[] = [];
  for (const b of books) {
    const notional = new Map<number, number>();
    for (const m of b.rates.symbols) {
      if (filter.symbol !== undefined && m.symbol !== filter.symbol) continue;
      for (const block of b.margin.blocksOf(m.symbol)) {
        for (let i = 0; i < block.length; i++) {
          const a = block.acct[i]!;
          notional.set(a, (notional.get(a) ?? 0) + block.margin[i]! * block.lev[i]!);
        }
      }
    }
    for (const state of b.margin.accountStates()) {
      const live = b.byLogin.get(state.login);
      if (!live) continue;
      const group = state.group.group;
      if (filter.riskGroup !== undefined && group.id !== filter.riskGroup) continue;
      if (filter.book !== undefined && state.book !== filter.book) continue;
      const figures = b.margin.figures(state);
      const floating = figures.equity - figures.balance;
      const gross = notional.get(state.index) ?? 0;
      const converted = b.rates.convert(gross, state.currency, reportingCurrency);
      const pnlReporting = b.rates.convert(floating, state.currency, reportingCurrency);
      const rd = minorUnitDigits(reportingCurrency);
      const snapshotStatus = b.margin.status(state.login);
      out.push({
        platformAccountId: live.id,
        login: state.login,
        brandId: live.brandId,
        riskGroupId: group.id,
        riskGroupName: groupName(group.id),
        book: state.book,
        currency: state.currency,
        balance: formatMoney(figures.balance, state.digits),
        equity: formatMoney(figures.equity, state.digits),
        margin: formatMoney(figures.margin, state.digits),
        marginLevel: figures.margin <= 0 ? null : ((figures.equity * 100) / figures.margin).toFixed(2),
        status: snapshotStatus,
        inMarginCall: snapshotStatus === 'MARGIN_CALL' || snapshotStatus === 'STOP_OUT',
        positions: state.positions.length,
        floatingPnl: formatMoney(floating, state.digits),
        exposure: converted === null ? null : formatMoney(converted, rd),
        floatingPnlReporting: pnlReporting === null ? null : formatMoney(pnlReporting, rd),
      });
    }
  }
  return out;
}
