import { nextMessages, startTestApi, type TestApi } from '../test/harness';

let t: TestApi;
let token: string;
let platformId: string;
const LOGINS = ['9000001', '9000002', '9000003', '9000004'];

beforeAll(async () => {
  t = await startTestApi();
  token = await t.signIn();
  const [platform] = await t.sql<{ id: string; brand_id: string }>(
    "SELECT p.id, p.brand_id FROM platform_connection p JOIN brand b ON b.id = p.brand_id WHERE b.slug = 'atlas'",
  );
  platformId = platform!.id;
  for (const login of LOGINS) {
    await t.sql(
      "INSERT INTO platform_account (id, platform_id, brand_id, login, currency) VALUES (gen_random_uuid(), $1, $2, $3, 'USD')",
      [platformId, platform!.brand_id, login],
    );
  }
});
afterAll(() => t.stop());

const minute = (n: number) => new Date(Date.UTC(2026, 0, 5, 8, n)).toISOString();
const equity = (eventId: string, login: string, at: string, value = '100000.00') => ({
  eventId,
  login,
  at,
  type: 'equity',
  equity: value,
});
const deal = (eventId: string, login: string, at: string) => ({
  eventId,
  login,
  at,
  type: 'deal',
  id: `d-${eventId}`,
  position: `p-${eventId}`,
  entry: 'in',
  symbol: 'EURUSD',
  side: 'buy',
  volume: '1.00',
  price: '1.08500',
  profit: '0.00',
  commission: '-3.50',
  swap: '0.00',
});

async function ndjson(events: unknown[], bearer = 'dev-ingest-token-not-for-production', platform = platformId) {
  const response = await fetch(`${t.url}/ingest/${platform}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${bearer}` },
    body: events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n'),
  });
  return { status: response.status, body: (await response.json()) as Record<string, never> & IngestBody };
}
interface IngestBody {
  received: number;
  accepted: number;
  duplicates: { index: number; eventId: string }[];
  rejected: { index: number; eventId: string | null; code: string; message: string }[];
}

const journal = (login: string) =>
  t.sql<{ seq: string; event_id: string }>(
    'SELECT e.seq, e.event_id FROM platform_event e JOIN platform_account a ON a.id = e.account_id WHERE a.login = $1 ORDER BY e.seq',
    [login],
  );

describe('ingestion', () => {
  it('keeps the valid items of a batch and reports each bad one with a typed code', async () => {
    const future = new Date(Date.now() + 3600_000).toISOString();
    const { status, body } = await ndjson([
      deal('a-1', LOGINS[0]!, minute(1)),
      { ...equity('a-2', LOGINS[0]!, minute(2)), equity: '12,5' },
      equity('a-3', 'no-such-login', minute(2)),
      equity('a-4', LOGINS[0]!, future),
      'this line is not JSON',
      equity('a-5', LOGINS[0]!, minute(3)),
      { eventId: 'q-1', at: minute(3), type: 'quote', symbol: 'EURUSD', bid: '1.08500', ask: '1.08510' },
    ]);
    expect(status).toBe(200);
    expect(body.accepted).toBe(3);
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'MALFORMED'],
      [2, 'UNKNOWN_ACCOUNT'],
      [3, 'FUTURE'],
      [4, 'MALFORMED'],
    ]);
    expect((await journal(LOGINS[0]!)).map((r) => [r.seq, r.event_id])).toEqual([
      ['1', 'a-1'],
      ['2', 'a-5'],
    ]);
    expect(await t.sql("SELECT bid::text FROM platform_quote WHERE symbol = 'EURUSD'")).toEqual([{ bid: '1.08500' }]);
  });

  it('stores a batch sent twice once, and says which items were duplicates', async () => {
    const batch = [equity('b-1', LOGINS[1]!, minute(1)), equity('b-2', LOGINS[1]!, minute(2))];
    expect((await ndjson(batch)).body.accepted).toBe(2);
    const again = await ndjson(batch);
    expect(again.body.accepted).toBe(0);
    expect(again.body.duplicates.map((d) => d.eventId)).toEqual(['b-1', 'b-2']);
    expect(await journal(LOGINS[1]!)).toHaveLength(2);
  });

  it("answers a resent event as a duplicate even when it is older than the account's last, and stores the new ones without gaps", async () => {
    const login = LOGINS[3]!;
    const before = (await journal(login)).length;
    await ndjson([equity('m-1', login, minute(40)), equity('m-2', login, minute(41))]);
    // A bridge resends m-1 (older than m-2) and m-2 together with new events, one of them twice.
    const { body } = await ndjson([
      equity('m-1', login, minute(40)),
      equity('m-3', login, minute(42)),
      equity('m-2', login, minute(41)),
      equity('m-4', login, minute(43)),
      equity('m-4', login, minute(43)),
      equity('m-5', login, minute(39)),
    ]);
    expect(body.accepted).toBe(2);
    expect(body.duplicates.map((d) => [d.index, d.eventId])).toEqual([
      [0, 'm-1'],
      [2, 'm-2'],
      [4, 'm-4'],
    ]);
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([[5, 'OUT_OF_ORDER']]);
    const stored = await journal(login);
    expect(stored.slice(before).map((r) => r.event_id)).toEqual(['m-1', 'm-2', 'm-3', 'm-4']);
    expect(stored.map((r) => Number(r.seq))).toEqual(stored.map((_, i) => i + 1));
  });

  it('refuses an event older than one already accepted for the account (OUT_OF_ORDER) and shows it in the monitor', async () => {
    await ndjson([equity('c-1', LOGINS[1]!, minute(10))]);
    const { body } = await ndjson([equity('c-2', LOGINS[1]!, minute(5))]);
    expect(body.rejected.map((r) => r.code)).toEqual(['OUT_OF_ORDER']);
    const monitor = await t.gql<{
      ingestionMonitor: { rejected: number; recentRejections: { code: string; eventId: string }[] };
    }>(
      'query($id: ID!) { ingestionMonitor(platformId: $id) { rejected duplicates accepted journalled recentRejections { code eventId } } }',
      { id: platformId },
      token,
    );
    expect(monitor.data!.ingestionMonitor.recentRejections[0]).toEqual({ code: 'OUT_OF_ORDER', eventId: 'c-2' });
  });

  it('stores each event once when several senders deliver the same batches concurrently; sequences have no gaps', async () => {
    const login = LOGINS[2]!;
    const batches = Array.from({ length: 10 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => equity(`e-${b}-${i}`, login, minute(20 + b))),
    );
    // Four senders, each sending every batch, in different orders, all at once.
    const senders = [0, 1, 2, 3].map((s) => (s % 2 === 0 ? batches : [...batches].reverse()));
    const results = await Promise.all(senders.flatMap((list) => list.map((batch) => ndjson(batch))));
    const accepted = results.reduce((n, r) => n + r.body.accepted, 0);
    const duplicates = results.reduce((n, r) => n + r.body.duplicates.length, 0);
    const outOfOrder = results.reduce((n, r) => n + r.body.rejected.length, 0);
    expect(accepted + duplicates + outOfOrder).toBe(4 * 500);
    const stored = await journal(login);
    expect(stored.length).toBe(accepted);
    expect(new Set(stored.map((r) => r.event_id)).size).toBe(stored.length);
    expect(stored.map((r) => Number(r.seq))).toEqual(stored.map((_, i) => i + 1));
    // Every event was offered by some sender in order, so none is lost for good: a resend completes it.
    const resend = await Promise.all(batches.map((batch) => ndjson(batch)));
    const missing = resend.reduce((n, r) => n + r.body.accepted, 0);
    expect((await journal(login)).length).toBe(accepted + missing);
  });

  it('needs the ingest token, and answers 404 for an unknown platform', async () => {
    expect((await ndjson([equity('x-1', LOGINS[0]!, minute(30))], 'wrong-token-wrong-token')).status).toBe(401);
    expect(
      (await ndjson([equity('x-1', LOGINS[0]!, minute(30))], undefined, '00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
    expect((await ndjson([equity('x-1', LOGINS[0]!, minute(30))], undefined, 'not-a-uuid')).status).toBe(404);
  });

  it('accepts the same batches through GraphQL for staff, with the same per-item answers', async () => {
    const result = await t.gql<{ ingestPlatformEvents: IngestBody }>(
      'mutation($p: ID!, $e: [JSONObject!]!) { ingestPlatformEvents(platformId: $p, events: $e) { received accepted duplicates { eventId } rejected { index code } } }',
      {
        p: platformId,
        e: [equity('g-1', LOGINS[0]!, minute(40)), equity('a-1', LOGINS[0]!, minute(40)), { eventId: 'g-2' }],
      },
      token,
    );
    expect(result.data!.ingestPlatformEvents).toEqual({
      received: 3,
      accepted: 1,
      duplicates: [{ eventId: 'a-1' }],
      rejected: [{ index: 2, code: 'MALFORMED' }],
    });
  });

  it('pushes moving quotes to the instruments page, coalesced, and lists them with the instruments', async () => {
    const feed = nextMessages<{ platformQuotes: { quotes: { symbol: string; bid: string }[] } }>(
      t.ws(token),
      'subscription($id: ID!) { platformQuotes(platformId: $id) { quotes { symbol bid ask } } }',
      { id: platformId },
      1,
    );
    await new Promise((r) => setTimeout(r, 200));
    const quote = (n: number, bid: string) => ({
      eventId: `qq-${n}`,
      at: minute(50 + n),
      type: 'quote',
      symbol: 'XAUUSD',
      bid,
      ask: '2400.50',
    });
    await ndjson([quote(1, '2400.10'), quote(2, '2400.20')]);
    expect((await feed.done)[0]?.data?.platformQuotes.quotes).toEqual([
      { symbol: 'XAUUSD', bid: '2400.20', ask: '2400.50' },
    ]);
    const listed = await t.gql<{ instruments: { symbol: string; bid: string | null; assetClass: string }[] }>(
      'query($id: ID!) { instruments(platformId: $id) { symbol assetClass bid } }',
      { id: platformId },
      token,
    );
    expect(listed.data!.instruments.find((i) => i.symbol === 'XAUUSD')).toEqual({
      symbol: 'XAUUSD',
      assetClass: 'METAL',
      bid: '2400.20',
    });
    expect(listed.data!.instruments.length).toBeGreaterThanOrEqual(20);
  });

  it('keeps the journal append-only: the database refuses UPDATE and DELETE', async () => {
    await expect(t.sql("UPDATE platform_event SET type = 'x'")).rejects.toThrow(/append-only/);
    await expect(t.sql('DELETE FROM platform_event')).rejects.toThrow(/append-only/);
    // Nor can an account whose events are journalled disappear from under them.
    await expect(t.sql('DELETE FROM platform_account WHERE login = $1', [LOGINS[0]])).rejects.toThrow(
      /journalled events/,
    );
    expect(await t.sql('SELECT 1 FROM platform_account WHERE login = $1', [LOGINS[0]])).toHaveLength(1);
  });
});
