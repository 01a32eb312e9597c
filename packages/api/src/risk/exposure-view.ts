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
import { type AccountState, type MarginStatus, marginStatus } from './margin-book';
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

  const ranked = rankAccounts(books, currency, filter, top);
  const view = (r: RankedAccount) => accountView(r.book, r.state, currency, r.gross, options.groupName);
  const money = (v: bigint) => unscaled(v, digits);
  return {
    reportingCurrency: currency,
    asOf: new Date(),
    floatingPnl: unscaled(pnl, digits),
    firmFloatingPnl: unscaled(firmPnl, digits),
    positions: [...symbolRows.values()].reduce((n, r) => n + r.positions, 0),
    accounts: ranked.accounts,
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
    topByExposure: ranked.byExposure.map(view),
    topByPnl: ranked.byPnl.map(view),
    marginCalls: ranked.marginCalls.map(view),
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

interface RankedAccount {
  book: PlatformBook;
  state: AccountState;
  /** Σ notional of its positions in the account currency (minor units). */
  gross: number;
  /** The ranking key. */
  key: number;
}

/** Inserts into a list sorted by descending key, at most `top` long; equal keys keep arrival order. */
function keepTop(list: RankedAccount[], item: RankedAccount, top: number): void {
  const n = list.length;
  if (n >= top && item.key <= list[n - 1]!.key) return;
  let i = n;
  while (i > 0 && list[i - 1]!.key < item.key) i--;
  list.splice(i, 0, item);
  if (list.length > top) list.pop();
}

/**
 * The account lists of the exposure view in one pass over the accounts with plain numbers: the
 * top `top` by exposure and by |floating P&L| (bounded insertion, O(accounts · log top) at worst,
 * no sort of every account, no formatting), and the accounts in margin call or stop-out, lowest
 * margin level first. Only what is listed is formatted afterwards (`accountView`).
 */
export function rankAccounts(
  books: readonly PlatformBook[],
  reportingCurrency: string,
  filter: ExposureViewFilter,
  top: number,
): { accounts: number; byExposure: RankedAccount[]; byPnl: RankedAccount[]; marginCalls: RankedAccount[] } {
  const byExposure: RankedAccount[] = [];
  const byPnl: RankedAccount[] = [];
  const calls: (RankedAccount & { level: number })[] = [];
  let accounts = 0;
  for (const b of books) {
    const notional = grossNotional(b, filter);
    for (const state of b.margin.accountStates()) {
      if (!b.byLogin.has(state.login)) continue;
      if (filter.riskGroup !== undefined && state.group.group.id !== filter.riskGroup) continue;
      if (filter.book !== undefined && state.book !== filter.book) continue;
      accounts++;
      const figures = b.margin.figures(state);
      const gross = notional[state.index] ?? 0;
      if (state.positions.length > 0) {
        const exposure = b.rates.convert(gross, state.currency, reportingCurrency);
        if (exposure !== null) keepTop(byExposure, { book: b, state, gross, key: exposure }, top);
        const pnl = b.rates.convert(figures.equity - figures.balance, state.currency, reportingCurrency);
        if (pnl !== null) keepTop(byPnl, { book: b, state, gross, key: Math.abs(pnl) }, top);
      }
      const status = marginStatus(state.group, figures.equity, figures.margin);
      if (status === 'MARGIN_CALL' || status === 'STOP_OUT') {
        calls.push({ book: b, state, gross, key: 0, level: figures.margin <= 0 ? 0 : figures.equity / figures.margin });
      }
    }
  }
  calls.sort((x, y) => x.level - y.level);
  return { accounts, byExposure, byPnl, marginCalls: calls };
}

/** Per account index: Σ margin · leverage of its positions (the gross notional, account currency). */
function grossNotional(b: PlatformBook, filter: ExposureViewFilter): Float64Array {
  let size = 0;
  for (const state of b.margin.accountStates()) if (state.index >= size) size = state.index + 1;
  const notional = new Float64Array(size);
  for (const m of b.rates.symbols) {
    if (filter.symbol !== undefined && m.symbol !== filter.symbol) continue;
    for (const block of b.margin.blocksOf(m.symbol)) {
      const { acct, margin, lev } = block;
      for (let i = 0; i < block.length; i++) notional[acct[i]!] += margin[i]! * lev[i]!;
    }
  }
  return notional;
}

function accountView(
  b: PlatformBook,
  state: AccountState,
  reportingCurrency: string,
  gross: number,
  groupName: (id: string) => string,
): AccountRiskView {
  const live = b.byLogin.get(state.login)!;
  const group = state.group.group;
  const figures = b.margin.figures(state);
  const floating = figures.equity - figures.balance;
  const converted = b.rates.convert(gross, state.currency, reportingCurrency);
  const pnlReporting = b.rates.convert(floating, state.currency, reportingCurrency);
  const rd = minorUnitDigits(reportingCurrency);
  const status = marginStatus(state.group, figures.equity, figures.margin);
  return {
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
    status,
    inMarginCall: status === 'MARGIN_CALL' || status === 'STOP_OUT',
    positions: state.positions.length,
    floatingPnl: formatMoney(floating, state.digits),
    exposure: converted === null ? null : formatMoney(converted, rd),
    floatingPnlReporting: pnlReporting === null ? null : formatMoney(pnlReporting, rd),
  };
}

/** Every account's live figures, with its gross notional (Σ margin · leverage of its positions). */
export function accountViews(
  books: readonly PlatformBook[],
  reportingCurrency: string,
  filter: ExposureViewFilter,
  groupName: (id: string) => string,
): AccountRiskView[] {
  const out: AccountRiskView[] = [];
  for (const b of books) {
    const notional = grossNotional(b, filter);
    for (const state of b.margin.accountStates()) {
      if (!b.byLogin.has(state.login)) continue;
      if (filter.riskGroup !== undefined && state.group.group.id !== filter.riskGroup) continue;
      if (filter.book !== undefined && state.book !== filter.book) continue;
      out.push(accountView(b, state, reportingCurrency, notional[state.index] ?? 0, groupName));
    }
  }
  return out;
}
