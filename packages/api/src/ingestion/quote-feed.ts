import type { EventPubSub } from '../events/pubsub';
import { Topic } from '../events/topics';
import type { QuoteWireEvent } from '../platform';

const EVERY_MS = 500;

/**
 * Coalesces a platform's quotes for the instruments page: at most one message per platform every
 * half second, carrying the latest quote of every symbol that moved, and always a trailing one.
 */
export function quoteFeed(pubsub: EventPubSub) {
  const pending = new Map<string, { quotes: Map<string, QuoteWireEvent>; timer?: NodeJS.Timeout; last: number }>();
  const flush = (platformId: string) => {
    const entry = pending.get(platformId);
    if (!entry || entry.quotes.size === 0) return;
    entry.last = Date.now();
    const quotes = [...entry.quotes.values()].map((q) => ({
      symbol: q.symbol,
      bid: q.bid,
      ask: q.ask,
      at: new Date(q.at),
    }));
    entry.quotes.clear();
    pubsub.publish(Topic.platformQuotes(platformId), { platformId, quotes });
  };
  return (platformId: string, quotes: QuoteWireEvent[]) => {
    let entry = pending.get(platformId);
    if (!entry) {
      entry = { quotes: new Map(), last: 0 };
      pending.set(platformId, entry);
    }
    for (const q of quotes) entry.quotes.set(q.symbol, q);
    const wait = entry.last + EVERY_MS - Date.now();
    if (wait <= 0) flush(platformId);
    else if (!entry.timer) {
      const current = entry;
      current.timer = setTimeout(() => {
        current.timer = undefined;
        flush(platformId);
      }, wait);
      current.timer.unref();
    }
  };
}
