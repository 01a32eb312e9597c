/**
 * Live exposure through the runtime's real path, one process: quotes enter `RiskRuntime.quotes`
 * (as ingestion hands them over), the margin and exposure books re-price incrementally, the runtime
 * publishes a per-brand tick on the pub/sub, and a subscriber's `Coalescer` (100 ms windows,
 * trailing flush) computes the exposure view (`exposureView`, the payload of `exposureChanged`).
 * Measured: for every quote, the time from its hand-over to the first message computed after it.
 * Not included: GraphQL execution and WebSocket serialisation of the message.
 *
 *   packages/api/node_modules/.bin/tsx bench/exposure-live.bench.ts [accounts] [positionsPerAccount] [quotesPerSecond] [seconds]
 *
 * Also: "change margin requirement" preview for the same book (FX majors to 1:10, every group).
 */
import { arch, cpus, platform } from 'node:os';
import { createEventPubSub } from '../packages/api/src/events/pubsub';
import { publicInstrument, SIM_INSTRUMENTS } from '../packages/api/src/platform/instruments';
import { PlatformRegistry } from '../packages/api/src/platform/registry';
import { parseRiskGroup, previewMarginChange, RateTable } from '../packages/api/src/risk';
import { Coalescer, feed } from '../packages/api/src/risk/coalesce';
import { exposureView } from '../packages/api/src/risk/exposure-view';
import { PlatformBook, RiskRuntime } from '../packages/api/src/risk/risk-live';
import { RiskTopic } from '../packages/api/src/risk/risk-topics';

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
const brand = 'brand-1';
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
let computeTotal = 0;
const coalescer = new Coalescer(() => {
  const started = performance.now();
  const covered = waiting;
  waiting = [];
  const view = exposureView([book], { reportingCurrency: 'USD', groupName: (id) => id });
  const end = performance.now();
  computeTotal += end - started;
  messages += 1;
  for (const at of covered) latencies.push(end - at);
  return view;
}, 100);
feed(coalescer, [pubsub.subscribe(RiskTopic.exposure(brand))]);
void (async () => {
  for await (const _ of coalescer) {
    // the subscriber takes each message
  }
})();

const symbols = SIM_INSTRUMENTS.map((s) => s.symbol);
let sent = 0;
const perTick = RATE / 100; // every 10 ms
async function main() {
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const batch = [];
      for (let i = 0; i < perTick; i++) {
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
  await coalescer.return();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))]!;
  const size = book.margin.size;
  console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, ${platform()} ${arch()}, node ${process.version}`);
  console.log(
    `book: ${size.accounts.toLocaleString()} accounts, ${size.positions.toLocaleString()} positions (built in ${buildMs.toFixed(0)} ms)`,
  );
  console.log(
    `quotes: ${sent.toLocaleString()} in ${SECONDS} s (${(sent / SECONDS).toFixed(0)}/s), ${messages} exposure messages, view compute ${(computeTotal / messages).toFixed(1)} ms avg`,
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
