/**
 * MT5 records → the platform's wire events (shared/golden/README.md), pure functions.
 *
 * Deals (§2.4): Action BUY/SELL with Entry IN → an `in` deal; OUT → an `out` deal; OUT_BY (closed
 * by an opposite position: MT5 books one OUT_BY deal per position) → an `out` deal of its
 * position; INOUT (a netting reversal: one deal closes the old position and opens the new one) →
 * an `out` leg of `VolumeClosed` carrying the profit and swap, then an `in` leg of the rest, the
 * commission split between them by volume; STATE → nothing. Non-trade actions (balance, charge,
 * correction, bonus, commissions, dividends…) → `balance` events per settings.balanceActions, the
 * kind taken from the adapter's comment tag when there is one; a new account's starting balance
 * (tag letter I) is no balance operation (the phase starts there) and gives nothing.
 *
 * Units (§3): volumes from VolumeExt (10⁻⁸ lot) or Volume (10⁻⁴ lot) to lots; prices to the
 * record's Digits; money to its DigitsCurrency; times from TimeMsc (or Time), less the server's
 * offset from UTC. Event ids come from MT5 tickets: `mt5:<server>:deal:<ticket>` (INOUT legs add
 * `:out` / `:in`); snapshots, which have no ticket, add the login or ticket and the instant.
 */
import type {
  BalanceOperationKind,
  BalanceWireEvent,
  DealWireEvent,
  PlatformEvent,
  PositionWireEvent,
  QuoteWireEvent,
  Side,
} from '../platform';
import { parseTag } from './journal';
import type { Mt5Settings } from './settings';
import {
  decimalOr,
  formatLots,
  formatScaled,
  has,
  idField,
  intField,
  intOr,
  isoInstant,
  type Mt5Record,
  proportion,
  scaled,
  text,
  utcMs,
  volumeExt,
} from './units';

export const DEAL_ACTION = { BUY: 0, SELL: 1 } as const;
export const DEAL_ENTRY = { IN: 0, OUT: 1, INOUT: 2, OUT_BY: 3, STATE: 255 } as const;

export interface MappingContext {
  /** The server name in event ids. */
  server: string;
  settings: Mt5Settings;
  /** Money digits for records without DigitsCurrency [2]. */
  moneyDigits?: number;
  warn?: (fields: Record<string, unknown>, message: string) => void;
}

const KIND_BY_LETTER: Record<string, BalanceOperationKind> = {
  D: 'DEPOSIT',
  W: 'WITHDRAWAL',
  C: 'CORRECTION',
  P: 'PAYOUT',
};

/** The wire events of one MT5 deal (none, one, or two for a reversal). */
export function dealEvents(deal: Mt5Record, context: MappingContext): PlatformEvent[] {
  const ticket = idField(deal, 'Deal');
  const login = idField(deal, 'Login');
  const action = intField(deal, 'Action');
  const at = isoInstant(utcMs(deal, 'Time', 'TimeMsc', context.settings.serverTimeOffsetSeconds));
  const moneyDigits = intOr(deal, 'DigitsCurrency', context.moneyDigits ?? 2);
  const eventId = `mt5:${context.server}:deal:${ticket}`;
  const warn = context.warn ?? (() => {});

  if (action !== DEAL_ACTION.BUY && action !== DEAL_ACTION.SELL) {
    return balanceEvents(deal, { eventId, login, at, action, moneyDigits, context });
  }
  const entry = intOr(deal, 'Entry', DEAL_ENTRY.IN);
  if (entry === DEAL_ENTRY.STATE) return [];
  const side: Side = action === DEAL_ACTION.BUY ? 'buy' : 'sell';
  const priceDigits = intOr(deal, 'Digits', 5);
  const volume = volumeExt(deal, 'Volume');
  const profit = scaled(deal.Profit ?? '0', moneyDigits, 'Profit');
  const commission = scaled(deal.Commission ?? '0', moneyDigits, 'Commission');
  const swap = scaled(deal.Storage ?? '0', moneyDigits, 'Storage');
  const money = (value: bigint) => formatScaled(value, moneyDigits);
  const base = {
    login,
    at,
    type: 'deal' as const,
    position: idField(deal, 'PositionID'),
    symbol: text(deal, 'Symbol'),
    side,
    price: decimalOr(deal, 'Price', priceDigits),
  };
  const single = (wireEntry: 'in' | 'out'): DealWireEvent => ({
    eventId,
    ...base,
    id: ticket,
    entry: wireEntry,
    volume: formatLots(volume),
    profit: money(profit),
    commission: money(commission),
    swap: money(swap),
  });

  switch (entry) {
    case DEAL_ENTRY.IN:
      return [single('in')];
    case DEAL_ENTRY.OUT:
    case DEAL_ENTRY.OUT_BY:
      return [single('out')];
    case DEAL_ENTRY.INOUT: {
      const closed = has(deal, 'VolumeClosedExt') || has(deal, 'VolumeClosed') ? volumeExt(deal, 'VolumeClosed') : null;
      if (closed === null || closed <= 0n || closed >= volume) {
        warn(
          { ticket, login, volume: String(volume), closed: String(closed) },
          'mt5 reversal deal without a usable VolumeClosed; taken as a plain out',
        );
        return [single('out')];
      }
      const outCommission = proportion(commission, closed, volume);
      const inPosition = context.settings.reversalPositionId === 'ORDER' ? idField(deal, 'Order') : base.position;
      return [
        {
          eventId: `${eventId}:out`,
          ...base,
          id: ticket,
          entry: 'out',
          volume: formatLots(closed),
          profit: money(profit),
          commission: money(outCommission),
          swap: money(swap),
        },
        {
          eventId: `${eventId}:in`,
          ...base,
          position: inPosition,
          id: `${ticket}.in`,
          entry: 'in',
          volume: formatLots(volume - closed),
          profit: money(0n),
          commission: money(commission - outCommission),
          swap: money(0n),
        },
      ];
    }
    default:
      warn({ ticket, login, entry }, 'mt5 deal with an unknown Entry skipped');
      return [];
  }
}

function balanceEvents(
  deal: Mt5Record,
  d: { eventId: string; login: string; at: string; action: number; moneyDigits: number; context: MappingContext },
): BalanceWireEvent[] {
  const mapping = d.context.settings.balanceActions[d.action];
  if (mapping === undefined) {
    d.context.warn?.({ ticket: d.eventId, action: d.action }, 'mt5 deal with an unknown Action skipped');
    return [];
  }
  if (mapping === 'IGNORE') return [];
  const amount = scaled(deal.Profit ?? '0', d.moneyDigits, 'Profit');
  if (amount === 0n) return [];
  const tag = parseTag(text(deal, 'Comment'));
  if (tag?.letter === 'I') return [];
  const tagged = tag === null ? undefined : KIND_BY_LETTER[tag.letter];
  const kind: BalanceOperationKind =
    tagged ?? (mapping === 'SIGN' ? (amount > 0n ? 'DEPOSIT' : 'WITHDRAWAL') : mapping);
  return [
    {
      eventId: d.eventId,
      login: d.login,
      at: d.at,
      type: 'balance',
      amount: formatScaled(amount, d.moneyDigits),
      kind,
    },
  ];
}

/** The side of an open position (§2.5, settings.positionActions). */
export function positionSide(position: Mt5Record, settings: Mt5Settings): Side {
  const action = intField(position, 'Action');
  if (action === settings.positionActions.buy) return 'buy';
  if (action === settings.positionActions.sell) return 'sell';
  throw new Error(`position ${text(position, 'Position')} has an unknown Action ${action}`);
}

/** A snapshot of one open position, stamped `atMs`. */
export function positionEvent(position: Mt5Record, context: MappingContext, atMs: number): PositionWireEvent {
  const ticket = idField(position, 'Position');
  const digits = intOr(position, 'Digits', 5);
  const moneyDigits = intOr(position, 'DigitsCurrency', context.moneyDigits ?? 2);
  return {
    eventId: `mt5:${context.server}:position:${ticket}:${atMs}`,
    login: idField(position, 'Login'),
    at: isoInstant(atMs),
    type: 'position',
    position: ticket,
    symbol: text(position, 'Symbol'),
    side: positionSide(position, context.settings),
    volume: formatLots(volumeExt(position, 'Volume')),
    openPrice: decimalOr(position, 'PriceOpen', digits),
    currentPrice: decimalOr(position, 'PriceCurrent', digits),
    profit: decimalOr(position, 'Profit', moneyDigits),
  };
}

/**
 * Quotes where the API has no quote stream: an open buy position's current price is the bid (it
 * would close at it), a sell position's is the ask. A symbol seen on one side only gets that price
 * as both bid and ask. The most recently updated position of each side wins.
 */
export function quotesFromPositions(
  positions: readonly Mt5Record[],
  context: MappingContext,
  atMs: number,
): QuoteWireEvent[] {
  interface Seen {
    price: string;
    updated: number;
  }
  const bySymbol = new Map<string, { bid?: Seen; ask?: Seen }>();
  for (const position of positions) {
    const symbol = text(position, 'Symbol');
    if (symbol === '' || !has(position, 'PriceCurrent')) continue;
    const price = decimalOr(position, 'PriceCurrent', intOr(position, 'Digits', 5));
    const updated = intOr(position, 'TimeUpdateMsc', intOr(position, 'TimeUpdate', 0) * 1000);
    const sides = bySymbol.get(symbol) ?? {};
    const key = positionSide(position, context.settings) === 'buy' ? 'bid' : 'ask';
    const current = sides[key];
    if (current === undefined || updated >= current.updated) sides[key] = { price, updated };
    bySymbol.set(symbol, sides);
  }
  const at = isoInstant(atMs);
  return [...bySymbol.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([symbol, sides]) => {
      const bid = (sides.bid ?? sides.ask) as Seen;
      const ask = (sides.ask ?? sides.bid) as Seen;
      return {
        eventId: `mt5:${context.server}:quote:${symbol}:${atMs}`,
        at,
        type: 'quote',
        symbol,
        bid: bid.price,
        ask: ask.price,
      };
    });
}

/** Balance, equity and margin of a trade-account record (§2.2), as decimal strings. */
export function accountFigures(
  account: Mt5Record,
  moneyDigits: number,
): { balance: string; equity: string; margin: string; freeMargin: string; marginLevel: string | null } {
  const digits = intOr(account, 'CurrencyDigits', moneyDigits);
  const margin = scaled(account.Margin ?? '0', digits, 'Margin');
  return {
    balance: decimalOr(account, 'Balance', digits),
    equity: decimalOr(account, 'Equity', digits),
    margin: formatScaled(margin, digits),
    freeMargin: decimalOr(account, 'MarginFree', digits),
    marginLevel: margin === 0n ? null : decimalOr(account, 'MarginLevel', 2),
  };
}
