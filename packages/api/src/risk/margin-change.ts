/**
 * "Change margin requirement" for the whole client base, as a what-if preview first: choose an
 * asset class (or symbols) and a new maximum leverage for one risk group, several, or all of a
 * brand, and see, before anything changes, how many accounts it touches, each one's used margin
 * and margin level before and after, and who would fall into margin call or stop-out.
 *
 * Pure computation over the in-memory book at its current prices: only the positions of the
 * targeted symbols are visited (the book indexes positions by symbol), each re-margined exactly
 * with the same formula the book uses (`marginOfRow`). Nothing in the book changes; applying the
 * change afterwards is `MarginBook.changeMarginRequirement`, which re-margins the same positions.
 */
import { formatMoney } from '../rules/money';
import {
  type AccountState,
  type MarginBook,
  type MarginStatus,
  marginLevelText,
  marginOfRow,
  marginStatus,
} from './margin-book';
import { effectiveLeverage, type MarginChange } from './risk-group';

export interface AccountMarginChange {
  login: string;
  riskGroup: string;
  currency: string;
  equity: string;
  usedMarginBefore: string;
  usedMarginAfter: string;
  marginLevelBefore: string | null;
  marginLevelAfter: string | null;
  statusBefore: MarginStatus;
  statusAfter: MarginStatus;
}

export interface CurrencyTotal {
  currency: string;
  usedMarginBefore: string;
  usedMarginAfter: string;
}

export interface MarginChangePreview {
  /** The risk groups the change applies to. */
  riskGroups: string[];
  /** The symbols it re-margins. */
  symbols: string[];
  /** Accounts with at least one position whose leverage changes. */
  accountsChanged: number;
  positionsChanged: number;
  /** Among the changed accounts: in margin call (at or under the level, stop-out included) before and after. */
  marginCallBefore: number;
  marginCallAfter: number;
  stopOutBefore: number;
  stopOutAfter: number;
  /** Logins that were above the margin-call level and would be at or under it (stop-out excluded). */
  newMarginCall: string[];
  /** Logins that were not under the stop-out level and would be. */
  newStopOut: string[];
  /** Used margin before and after, per account currency. */
  totals: CurrencyTotal[];
  /** One row per changed account, by login. */
  accounts: AccountMarginChange[];
}

const byLogin = (x: AccountState, y: AccountState) => (x.login < y.login ? -1 : x.login > y.login ? 1 : 0);
const inCall = (s: MarginStatus) => s === 'MARGIN_CALL' || s === 'STOP_OUT';

/** The what-if of `change` on `book` at current prices; the book is not modified. */
export function previewMarginChange(book: MarginBook, change: MarginChange): MarginChangePreview {
  const selected = book.selectGroups(change);
  const symbols = book.changeSymbols(change);
  const stamp = book.nextPreviewStamp();
  const changed: AccountState[] = [];
  let positionsChanged = 0;
  for (const symbol of symbols) {
    for (const block of book.blocksOf(symbol)) {
      const instrument = block.market.instrument;
      const accts = block.acct;
      const levs = block.lev;
      const margins = block.margin;
      for (let i = 0; i < block.length; i++) {
        const account = book.accountAt(accts[i]);
        const next = selected.get(account.group);
        if (next === undefined) continue;
        const leverage = effectiveLeverage(next, instrument, account.leverage);
        if (leverage === levs[i]) continue;
        if (account.previewStamp !== stamp) {
          account.previewStamp = stamp;
          account.previewMargin = book.figures(account).margin;
          changed.push(account);
        }
        account.previewMargin += marginOfRow(block, i, leverage) - margins[i];
        positionsChanged += 1;
      }
    }
  }
  changed.sort(byLogin);
  const totals = new Map<string, { digits: number; before: number; after: number }>();
  const rows: AccountMarginChange[] = [];
  const newMarginCall: string[] = [];
  const newStopOut: string[] = [];
  let marginCallBefore = 0;
  let marginCallAfter = 0;
  let stopOutBefore = 0;
  let stopOutAfter = 0;
  for (const a of changed) {
    const { equity, margin } = book.figures(a);
    const group = a.group;
    const before = marginStatus(group, equity, margin);
    // The levels of the group do not change with a margin change: only the margin does.
    const after = marginStatus(group, equity, a.previewMargin);
    if (inCall(before)) marginCallBefore += 1;
    if (inCall(after)) marginCallAfter += 1;
    if (before === 'STOP_OUT') stopOutBefore += 1;
    if (after === 'STOP_OUT') stopOutAfter += 1;
    if (after === 'STOP_OUT' && before !== 'STOP_OUT') newStopOut.push(a.login);
    else if (after === 'MARGIN_CALL' && !inCall(before)) newMarginCall.push(a.login);
    let total = totals.get(a.currency);
    if (total === undefined) {
      total = { digits: a.digits, before: 0, after: 0 };
      totals.set(a.currency, total);
    }
    total.before += margin;
    total.after += a.previewMargin;
    rows.push({
      login: a.login,
      riskGroup: group.group.id,
      currency: a.currency,
      equity: formatMoney(equity, a.digits),
      usedMarginBefore: formatMoney(margin, a.digits),
      usedMarginAfter: formatMoney(a.previewMargin, a.digits),
      marginLevelBefore: marginLevelText(equity, margin),
      marginLevelAfter: marginLevelText(equity, a.previewMargin),
      statusBefore: before,
      statusAfter: after,
    });
  }
  return {
    riskGroups: [...selected.keys()].map((g) => g.group.id).sort(),
    symbols,
    accountsChanged: changed.length,
    positionsChanged,
    marginCallBefore,
    marginCallAfter,
    stopOutBefore,
    stopOutAfter,
    newMarginCall,
    newStopOut,
    totals: [...totals]
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([currency, t]) => ({
        currency,
        usedMarginBefore: formatMoney(t.before, t.digits),
        usedMarginAfter: formatMoney(t.after, t.digits),
      })),
    accounts: rows,
  };
}
