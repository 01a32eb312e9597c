import type { PlatformEvent } from '../platform';
import { EventSender } from './sender';

const quote = (n: number): PlatformEvent => ({
  eventId: `sim-${n}`,
  at: '2025-03-03T00:01:00Z',
  type: 'quote',
  symbol: 'EURUSD',
  bid: '1.08496',
  ask: '1.08504',
});

function fakeApi(statuses: number[]) {
  const requests: { headers: Record<string, string>; body: string }[] = [];
  const fetchImpl = (async (_url: string | URL | Request, init?: RequestInit) => {
    requests.push({ headers: init?.headers as Record<string, string>, body: String(init?.body) });
    return new Response('', { status: statuses.shift() ?? 202 });
  }) as typeof fetch;
  return { requests, fetchImpl };
}

describe('EventSender', () => {
  it('posts NDJSON batches in order with the bearer token, retrying while the API is busy', async () => {
    const api = fakeApi([503, 429]);
    const sender = new EventSender({
      url: 'http://api/ingest',
      token: 't0k',
      server: 'Brokerdeck-Sim',
      batchSize: 2,
      fetchImpl: api.fetchImpl,
      sleep: async () => {},
    });
    sender.enqueue([quote(1), quote(2), quote(3)]);
    await sender.drain();
    expect(sender.sent).toBe(3);
    expect(api.requests).toHaveLength(4);
    expect(api.requests[0].headers).toMatchObject({
      authorization: 'Bearer t0k',
      'content-type': 'application/x-ndjson',
      'x-platform-server': 'Brokerdeck-Sim',
    });
    const delivered = api.requests.slice(2).flatMap((r) => r.body.trim().split('\n'));
    expect(delivered.map((line) => (JSON.parse(line) as PlatformEvent).eventId)).toEqual(['sim-1', 'sim-2', 'sim-3']);
  });

  it('stops on a refusal the API would repeat', async () => {
    const api = fakeApi([401]);
    const sender = new EventSender({ url: 'http://api/ingest', server: 's', fetchImpl: api.fetchImpl });
    sender.enqueue([quote(1)]);
    await sender.drain();
    expect(sender.failure).toMatchObject({ code: 'PLATFORM_REJECTED' });
    expect(sender.sent).toBe(0);
  });
});
