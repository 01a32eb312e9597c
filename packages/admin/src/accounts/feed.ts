/** One breach, pass or near-breach warning in the live feed of a brand. */
export interface FeedEvent {
  accountId: string;
  kind: string;
  rule?: string | null;
  at: string;
  floor?: string | null;
  equity?: string | null;
  seq: number;
  threshold?: number | null;
}

export interface FeedItem extends FeedEvent {
  key: string;
}

export const FEED_KINDS = ['BREACH', 'SOFT_BREACH', 'PASS', 'WARNING'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];
export const isFeedKind = (kind: string): kind is FeedKind => (FEED_KINDS as readonly string[]).includes(kind);

/** The same event delivered twice (a resubscription, a retried outbox row) is one item. */
export function feedKey(event: FeedEvent): string {
  const which = event.kind === 'WARNING' ? `t${event.threshold ?? ''}` : `s${event.seq}`;
  return [event.accountId, event.kind, event.rule ?? '', which, event.at].join('|');
}

export const FEED_LIMIT = 50;

export type FeedAction = { type: 'event'; event: FeedEvent } | { type: 'clear' };

/** Newest first, without duplicates, at most FEED_LIMIT items. */
export function feedReducer(items: readonly FeedItem[], action: FeedAction): FeedItem[] {
  if (action.type === 'clear') return [];
  const key = feedKey(action.event);
  if (items.some((item) => item.key === key)) return items as FeedItem[];
  return [{ ...action.event, key }, ...items].slice(0, FEED_LIMIT);
}

/** Breaches first in colour: what the feed badge of each kind looks like. */
export const FEED_COLORS: Record<FeedKind, string> = {
  BREACH: 'red',
  SOFT_BREACH: 'orange',
  PASS: 'green',
  WARNING: 'yellow',
};

/** Breaches and passes change an account's status (the list refetches); warnings do not. */
export const changesStatus = (kind: string) => kind === 'BREACH' || kind === 'PASS';
