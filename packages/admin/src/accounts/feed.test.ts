import { changesStatus, FEED_LIMIT, type FeedEvent, type FeedItem, feedKey, feedReducer } from './feed';

const breach: FeedEvent = {
  accountId: 'a1',
  kind: 'BREACH',
  rule: 'DAILY_LOSS',
  at: '2025-03-03T03:04:00.000Z',
  floor: '95000.00',
  equity: '94707.93',
  seq: 237,
};

describe('the live feed', () => {
  it('puts the newest event first', () => {
    const pass: FeedEvent = { accountId: 'a2', kind: 'PASS', at: '2025-03-03T04:00:00.000Z', seq: 12 };
    const items = [breach, pass].reduce<FeedItem[]>((s, event) => feedReducer(s, { type: 'event', event }), []);
    expect(items.map((i) => i.accountId)).toEqual(['a2', 'a1']);
    expect(items[1]).toMatchObject({ ...breach, key: feedKey(breach) });
  });

  it('keeps one item for an event delivered twice', () => {
    const once = feedReducer([], { type: 'event', event: breach });
    const twice = feedReducer(once, { type: 'event', event: { ...breach } });
    expect(twice).toBe(once);
  });

  it('tells warnings of the same limit apart by threshold', () => {
    const warning = (threshold: number): FeedEvent => ({
      accountId: 'a1',
      kind: 'WARNING',
      rule: 'MAX_LOSS',
      at: '2025-03-03T03:00:00.000Z',
      seq: 0,
      threshold,
    });
    let items = feedReducer([], { type: 'event', event: warning(80) });
    items = feedReducer(items, { type: 'event', event: warning(90) });
    items = feedReducer(items, { type: 'event', event: warning(90) });
    expect(items.map((i) => i.threshold)).toEqual([90, 80]);
  });

  it(`keeps at most ${FEED_LIMIT} items`, () => {
    let items: FeedItem[] = [];
    for (let seq = 0; seq < FEED_LIMIT + 5; seq++)
      items = feedReducer(items, { type: 'event', event: { ...breach, seq } });
    expect(items).toHaveLength(FEED_LIMIT);
    expect(items[0]!.seq).toBe(FEED_LIMIT + 4);
    expect(feedReducer(items, { type: 'clear' })).toEqual([]);
  });

  it('knows which kinds change the account status', () => {
    expect(changesStatus('BREACH')).toBe(true);
    expect(changesStatus('PASS')).toBe(true);
    expect(changesStatus('WARNING')).toBe(false);
    expect(changesStatus('SOFT_BREACH')).toBe(false);
  });
});
