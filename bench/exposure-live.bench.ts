/**
 * Live exposure through the runtime's real path, one process: quotes enter `RiskRuntime.quotes`
 * (as ingestion hands them over), the margin and exposure books re-price incrementally, the runtime
 * publishes a per-brand tick on the pub/sub, and a GraphQL `subscription { exposureChanged }` on the
 * API's own schema (the resolver's subscribe: authorisation, `RiskService.exposureSource`, the
 * per-subscriber `Coalescer` with its window and trailing flush) executes every message with the
 * dashboard's selection set. Measured: for every quote, the time from its hand-over to the first
 * executed GraphQL message after it. Not included: the WebSocket write (JSON.stringify is timed).
 *
 * Runs on the built API (`pnpm --filter @brokerdeck/api build`: type-graphql needs tsc's decorator
 * metadata, which tsx does not emit):
 *
 *   packages/api/node_modules/.bin/tsx bench/exposure-live.bench.ts [accounts] [positionsPerAccount] [quotesPerSecond] [seconds]
 *
 * Also: "change margin requirement" preview for the same book (FX majors to 1:10, every group).
 */
import { createRequire } from 'node:module';
import { arch, cpus, platform } from 'node:os';
import path from 'node:path';

const apiRoot = path.resolve(__dirname, '../packages/api');
const apiRequire = createRequire(path.join(apiRoot, 'package.json'));
apiRequire('reflect-metadata');
const { parse, subscribe } = apiRequire('graphql') as typeof import('graphql');
const { systemViewer } = apiRequire('./dist/auth/viewer') as typeof import('../packages/api/src/auth/viewer');
const { createEventPubSub } = apiRequire('./dist/events/pubsub') as typeof import('../packages/api/src/events/pubsub');
const { publicInstrument, SIM_INSTRUMENTS } = apiRequire(
  './dist/platform/instruments',
) as typeof import('../packages/api/src/platform/instruments');
const { PlatformRegistry } = apiRequire(
  './dist/platform/registry',
) as typeof import('../packages/api/src/platform/registry');
const { parseRiskGroup, previewMarginChange, RateTable } = apiRequire(
  './dist/risk',
) as typeof import('../packages/api/src/risk');
const { PlatformBook, RiskRuntime } = apiRequire(
  './dist/risk/risk-live',
) as typeof import('../packages/api/src/risk/risk-live');
const { RiskService } = apiRequire(
  './dist/risk/risk.service',
) as typeof import('../packages/api/src/risk/risk.service');
const { EXPOSURE_WINDOW_MS } = apiRequire(
  './dist/risk/risk.resolver',
) as typeof import('../packages/api/src/risk/risk.resolver');
const { buildApiSchema } = apiRequire('./dist/schema') as typeof import('../packages/api/src/schema');

const ACCOUNTS = Number(process.argv[2] ?? 10_000);
const PER_ACCOUNT = Number(process.argv[3] ?? 10);
const RATE = Number(process.argv[4] ?? 2_000);
const SECONDS = Number(process.argv[5] ?? 10);

let seed = 42;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const instruments = SIM_INSTRUMENTS.map(publicInstrument);
const mids = new Map(SIM_INSTRUMENTS.map((s) => [s.symbol, s.startPrice]));
const log = { info() {}, warn() {}, error() {}, debug() {}, child: () => log } as never;
const pubsub = createEventPubSub();
const runtime = new RiskRuntime(null as never, pubsub, new PlatformRegistry(), log);
const brand = '00000000-0000-4000-8000-000000000001';
const book = new PlatformBook('platform-1', brand, new RateTable(instruments));
runtime.books.set(book.platformId, book);
const groups = ['g1', 'g2', 'g3'].map((id, i) => parseRiskGroup({ id, brand, name: id, book: i === 2 ? 'A' : 'B' }));
for (const g of groups) book.margin.setGroup(g);

function price(symbol: string): { bid: string; ask: string; digits: number } {
  const spec = SIM_INSTRUMENTS.find((s) => s.symbol === symbol)!;
  const mid = mids.get(symbol)!;
  const spread = 2 * 10 ** -spec.digits;
  return {
    bid: (mid - spread / 2).toFixed(spec.digits),
    ask: (mid + spread / 2).toFixed(spec.digits),
    digits: spec.digits,
  };
}
for (const s of SIM_INSTRUMENTS) {
  const p = price(s.symbol);
  book.margin.applyQuote(s.symbol, p.bid, p.ask);
}
let t0 = performance.now();
for (let a = 0; a < ACCOUNTS; a++) {
  const login = String(1_000_000 + a);
  book.margin.openAccount({
    login,
    riskGroup: groups[a % 3]!.id,
    currency: 'USD',
    leverage: 10_000,
    balance: '100000000.00',
  });
  book.byLogin.set(login, {
    id: login,
    login,
    brandId: brand,
    platformId: book.platformId,
    currency: 'USD',
    appliedSeq: 0,
  });
  for (let i = 0; i < PER_ACCOUNT; i++) {
    const s = SIM_INSTRUMENTS[Math.floor(rnd() * SIM_INSTRUMENTS.length)]!;
    const p = price(s.symbol);
    book.margin.openPosition(login, {
      id: `${login}-${i}`,
      symbol: s.symbol,
      side: rnd() < 0.5 ? 'buy' : 'sell',
      volume: (0.01 + Math.floor(rnd() * 100) / 100).toFixed(2),
      openPrice: p.ask,
    });
  }
}
const buildMs = performance.now() - t0;

t0 = performance.now();
const preview = previewMarginChange(book.margin, { brand, target: { assetClass: 'FX_MAJOR' }, leverage: 10 });
const previewMs = performance.now() - t0;

const latencies: number[] = [];
let waiting: number[] = [];
let messages = 0;
let serialiseTotal = 0;
const ACCOUNT =
  'platformAccountId login riskGroupName book currency balance equity margin marginLevel status positions floatingPnl exposure floatingPnlReporting';
const DOCUMENT = parse(`subscription Live($filter: ExposureFilter) {
  exposureChanged(filter: $filter) {
    brandId reportingCurrency asOf floatingPnl firmFloatingPnl positions accounts unpriced
    symbols { symbol assetClass positions buyLots sellLots netLots netUnits value floatingPnl }
    groups { brandId riskGroupId riskGroupName book symbol netLots value floatingPnl }
    assetClasses { assetClass netValue grossValue floatingPnl }
    firmBBook { symbol netLots netUnits value floatingPnl }
    topByExposure { ${ACCOUNT} }
    topByPnl { ${ACCOUNT} }
    marginCalls { ${ACCOUNT} }
  }
}`);

async function subscribeExposure(): Promise<AsyncIterator<unknown>> {
  const schema = await buildApiSchema(pubsub);
  const viewer = systemViewer('exposure bench');
  const risk = new RiskService(null as never, runtime, null as never, { viewer } as never);
  const result = await subscribe({
    schema,
    document: DOCUMENT,
    variableValues: { filter: { brandId: brand, reportingCurrency: 'USD' } },
    contextValue: { viewer, em: null, pubsub, risk },
  });
  if (!(Symbol.asyncIterator in result)) throw new Error(JSON.stringify(result.errors));
  return result;
}

const symbols = SIM_INSTRUMENTS.map((s) => s.symbol);
let sent = 0;
async function main() {
  const stream = await subscribeExposure();
  const consumed = (async () => {
    for (;;) {
      const next = await stream.next();
      if (next.done) return;
      const covered = waiting;
      waiting = [];
      const at = performance.now();
      const message = next.value as { errors?: unknown[] };
      if (message.errors) throw new Error(JSON.stringify(message.errors));
      JSON.stringify(message); // what the WebSocket server sends
      serialiseTotal += performance.now() - at;
      messages += 1;
      for (const q of covered) latencies.push(at - q);
    }
  })();
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const batch = [];
      // Catch up when a timer fires late: the offered rate stays RATE however busy the process is.
      const due = Math.floor(((performance.now() - started) * RATE) / 1000) - sent;
      for (let i = 0; i < due; i++) {
        const symbol = symbols[sent++ % symbols.length]!;
        mids.set(symbol, mids.get(symbol)! * (1 + (rnd() - 0.5) * 2e-4));
        const p = price(symbol);
        batch.push({ eventId: `q${sent}`, at: '', type: 'quote' as const, symbol, bid: p.bid, ask: p.ask });
      }
      const at = performance.now();
      runtime.quotes(book.platformId, batch);
      for (let i = 0; i < batch.length; i++) waiting.push(at);
      if (performance.now() - started >= SECONDS * 1000) {
        clearInterval(timer);
        setTimeout(resolve, 300);
      }
    }, 10);
  });
  await stream.return?.();
  await consumed;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))]!;
  const size = book.margin.size;
  console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, ${platform()} ${arch()}, node ${process.version}`);
  console.log(
    `book: ${size.accounts.toLocaleString()} accounts, ${size.positions.toLocaleString()} positions (built in ${buildMs.toFixed(0)} ms)`,
  );
  console.log(
    `quotes: ${sent.toLocaleString()} in ${SECONDS} s (${(sent / SECONDS).toFixed(0)}/s), ${messages} exposure messages (window ${EXPOSURE_WINDOW_MS} ms), JSON ${(serialiseTotal / messages).toFixed(1)} ms avg`,
  );
  console.log(
    `quote → exposure message: p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${latencies[latencies.length - 1]!.toFixed(1)} ms`,
  );
  console.log(
    `margin-change preview (FX_MAJOR → 1:10, all groups): ${preview.accountsChanged.toLocaleString()} accounts, ${preview.positionsChanged.toLocaleString()} positions in ${previewMs.toFixed(0)} ms`,
  );
  process.exit(0);
}
void main();
