/** The latest quote of a symbol, and which way its bid last moved. */
export interface LiveQuote {
  bid: string;
  ask: string;
  at: string;
  tick: 'up' | 'down' | null;
  /** Counts the updates of this symbol: a changed key replays the highlight. */
  version: number;
}

export type QuoteBook = Readonly<Record<string, LiveQuote>>;

/** Starts the book from the instruments query (their latest quotes, no direction yet). */
export function bookFromInstruments(
  instruments: readonly { symbol: string; bid?: string | null; ask?: string | null; quotedAt?: string | null }[],
): QuoteBook {
  const book: Record<string, LiveQuote> = {};
  for (const i of instruments) {
    if (i.bid && i.ask && i.quotedAt)
      book[i.symbol] = { bid: i.bid, ask: i.ask, at: i.quotedAt, tick: null, version: 0 };
  }
  return book;
}

/**
 * Applies a coalesced update (only the symbols that moved). A quote older than the one held is
 * ignored, so a late message never moves a price back.
 */
export function applyQuotes(
  book: QuoteBook,
  quotes: readonly { symbol: string; bid: string; ask: string; at: string }[],
): QuoteBook {
  let next: Record<string, LiveQuote> | null = null;
  for (const q of quotes) {
    const held = book[q.symbol];
    if (held && Date.parse(q.at) < Date.parse(held.at)) continue;
    if (held && held.bid === q.bid && held.ask === q.ask && held.at === q.at) continue;
    const tick = held ? direction(held.bid, q.bid, held.tick) : null;
    next ??= { ...book };
    next[q.symbol] = { bid: q.bid, ask: q.ask, at: q.at, tick, version: (held?.version ?? 0) + 1 };
  }
  return next ?? book;
}

function direction(before: string, after: string, previous: LiveQuote['tick']): LiveQuote['tick'] {
  const a = Number(before);
  const b = Number(after);
  if (b > a) return 'up';
  if (b < a) return 'down';
  return previous;
}

/** The spread in points (the last digit of the price): (ask − bid) × 10^digits. */
export function spreadPoints(bid: string, ask: string, digits: number): number | null {
  const b = Number(bid);
  const a = Number(ask);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  return Math.round((a - b) * 10 ** digits);
}
