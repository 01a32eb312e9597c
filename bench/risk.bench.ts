/**
 * CFD risk module throughput (packages/api/src/risk/), one core.
 *
 * Run from the repository root (tsx is a dependency of packages/api, so use that copy):
 *   packages/api/node_modules/.bin/tsx bench/risk.bench.ts [accounts] [positionsPerAccount] [quotes]
 *
 * 1. Quotes: 10,000 accounts (85 % USD, 10 % EUR, 5 % GBP; two brands, five risk groups, A, B and
 *    BY_RULE books) holding 100,000 open positions over the simulator's 22 instruments, sized for
 *    5,000–200,000 USD of notional each at 1:30 (scaled by each class's ESMA leverage). A deterministic stream of quotes (every symbol in turn,
 *    a random walk of its mid with its spread) is applied to the margin book, which keeps the
 *    exposure book in step, as fast as possible: quotes/s and µs per quote. The exposure snapshot
 *    (all dimensions, EUR reporting currency) and the position build are timed too.
 * 2. Margin-change preview: a book of 100,000 accounts (3 positions each), "FX majors to 1:10 for
 *    every group of the brand" and "XAUUSD, US500 to 1:5 in one group", previewed (nothing applied).
 *
 * Times come from `process.hrtime.bigint()`: a warm-up, then 5 runs, best and median reported.
 */
import { arch, cpus, loadavg, platform, totalmem } from 'node:os';
import { publicInstrument, SIM_INSTRUMENTS } from '../packages/api/src/platform/instruments';
import {
  effectiveLeverage,
  ExposureBook,
  MarginBook,
  type MarginChange,
  type PositionState,
  parseRiskGroup,
  previewMarginChange,
  RateTable,
  type RiskEvent,
} from '../packages/api/src/risk';

const ACCOUNTS = Number(process.argv[2] ?? 10_000);
const PER_ACCOUNT = Number(process.argv[3] ?? 10);
const QUOTES = Number(process.argv[4] ?? 50_000);
const PREVIEW_ACCOUNTS = 100_000;
const RUNS = 5;

/** mulberry32: a small deterministic PRNG, so every run replays the same book and stream. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

const instruments = SIM_INSTRUMENTS.map(publicInstrument);

/** Rough USD value of one unit of each instrument's profit currency, to size positions. */
const USD_PER: Record<string, number> = { USD: 1, EUR: 1.085, GBP: 1.27, JPY: 1 / 150.2, CHF: 1 / 0.88, CAD: 1 / 1.36 };

function startQuotes(rates: RateTable): void {
  for (const spec of SIM_INSTRUMENTS) {
    const mid = Math.round(spec.startPrice * 10 ** spec.digits);
    const half = Math.floor(spec.spreadPoints / 2);
    rates.setQuote(spec.symbol, mid - half, mid - half + spec.spreadPoints);
  }
}

const ESMA = parseRiskGroup({ id: 'esma', brand: 'x', name: 'ESMA' });
const esmaLeverage = (spec: (typeof SIM_INSTRUMENTS)[number]) => effectiveLeverage(ESMA, spec);

const GROUPS = [
  { id: 'alpha-retail', brand: 'alpha', name: 'Retail ESMA', book: 'B' },
  { id: 'alpha-pro', brand: 'alpha', name: 'Professional', book: 'A', symbolLeverage: {} },
  { id: 'alpha-rule', brand: 'alpha', name: 'By rule', book: 'BY_RULE' },
  { id: 'beta-retail', brand: 'beta', name: 'Retail ESMA', book: 'B', negativeBalanceProtection: true },
  { id: 'beta-prop', brand: 'beta', name: 'Prop', book: 'B', stopOutLevel: '30', marginCallLevel: '80' },
].map((g) =>
  parseRiskGroup(
    g.id === 'alpha-pro'
      ? {
          ...g,
          leverage: { FX_MAJOR: 100, FX_MINOR: 100, METAL: 50, INDEX: 50, COMMODITY: 50, EQUITY: 20, CRYPTO: 5 },
        }
      : g,
  ),
);

interface Built {
  book: MarginBook;
  exposure: ExposureBook<PositionState>;
  rates: RateTable;
  buildSeconds: number;
}

function build(accounts: number, perAccount: number, seed: number): Built {
  const random = prng(seed);
  const rates = new RateTable(instruments);
  startQuotes(rates);
  const exposure = new ExposureBook<PositionState>(rates);
  const book = new MarginBook(rates, { exposure });
  for (const g of GROUPS) book.setGroup(g);
  const started = process.hrtime.bigint();
  for (let i = 0; i < accounts; i++) {
    const roll = random();
    const currency = roll < 0.85 ? 'USD' : roll < 0.95 ? 'EUR' : 'GBP';
    const login = String(1_000_000 + i);
    book.openAccount({
      login,
      riskGroup: GROUPS[i % GROUPS.length].id,
      currency,
      leverage: 100,
      balance: `${8_000 + Math.floor(random() * 142_000)}.00`,
      book: random() < 0.3 ? 'A' : 'B',
    });
    for (let k = 0; k < perAccount; k++) {
      const spec = SIM_INSTRUMENTS[Math.floor(random() * SIM_INSTRUMENTS.length)];
      // 5,000–200,000 USD of notional at 1:30, scaled by the instrument's ESMA leverage so that
      // margin, not notional, is comparable across classes (a BTC lot is not a EURUSD lot)
      const notionalUsd = ((5_000 + random() * 195_000) * esmaLeverage(spec)) / 30;
      const lotUsd = spec.contractSize * spec.startPrice * USD_PER[spec.profitCurrency];
      const centilots = Math.max(1, Math.round((notionalUsd / lotUsd) * 100));
      const drift = Math.round((random() - 0.5) * 0.01 * spec.startPrice * 10 ** spec.digits);
      const openPoints = Math.round(spec.startPrice * 10 ** spec.digits) + drift;
      book.openPosition(login, {
        id: `${login}-${k}`,
        symbol: spec.symbol,
        side: random() < 0.55 ? 'buy' : 'sell',
        volume: (centilots / 100).toFixed(2),
        openPrice: (openPoints / 10 ** spec.digits).toFixed(spec.digits),
      });
    }
  }
  return { book, exposure, rates, buildSeconds: seconds(started) };
}

/** Every symbol in turn, its mid walking by up to ±2 bp a quote and reverting to its start. */
function quoteStream(count: number, seed: number): { symbol: string[]; bid: Float64Array; ask: Float64Array } {
  const random = prng(seed);
  const symbol: string[] = new Array(count);
  const bid = new Float64Array(count);
  const ask = new Float64Array(count);
  const mids = SIM_INSTRUMENTS.map((s) => s.startPrice);
  for (let i = 0; i < count; i++) {
    const k = i % SIM_INSTRUMENTS.length;
    const spec = SIM_INSTRUMENTS[k];
    const start = spec.startPrice;
    mids[k] *= 1 + (random() - 0.5) * 4e-4 + (start - mids[k]) / start / 200;
    const points = Math.round(mids[k] * 10 ** spec.digits);
    const half = Math.floor(spec.spreadPoints / 2);
    symbol[i] = spec.symbol;
    bid[i] = points - half;
    ask[i] = points - half + spec.spreadPoints;
  }
  return { symbol, bid, ask };
}

function countEvents(events: readonly RiskEvent[], into: Record<string, number>): void {
  for (const e of events) into[e.type] = (into[e.type] ?? 0) + 1;
}

function main(): void {
  const cpu = cpus();
  console.log(
    `Machine: ${cpu[0]?.model} ×${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()}-${arch()}, ` +
      `Node ${process.version}, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );

  // ----- 1. quotes -----
  const { book, exposure, buildSeconds } = build(ACCOUNTS, PER_ACCOUNT, 7);
  const size = book.size;
  console.log(
    `\nBook: ${fmt(size.accounts)} accounts, ${fmt(size.positions)} positions, built in ${buildSeconds.toFixed(2)} s ` +
      `(${fmt(size.positions / buildSeconds)} opens/s incl. exposure)`,
  );
  const stream = quoteStream(QUOTES, 11);
  // Positions re-priced per quote: the symbol's own, and those converting through it (DE40 on EURUSD, …).
  let repriced = 0;
  for (const spec of SIM_INSTRUMENTS) repriced += book.repricedBy(spec.symbol);
  console.log(`Positions re-priced per quote: ${fmt(repriced / SIM_INSTRUMENTS.length)} on average`);
  const events: Record<string, number> = {};
  const rates: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < QUOTES; i++) {
      const out = book.applyQuotePoints(stream.symbol[i], stream.bid[i], stream.ask[i]);
      if (out.length > 0) countEvents(out, events);
    }
    const s = seconds(started);
    if (run > 0) rates.push(QUOTES / s); // run 0 is the warm-up
  }
  const best = Math.max(...rates);
  const med = median(rates);
  console.log(
    `Quotes → margin book + exposure: best ${fmt(best)} quotes/s (${(1e6 / best).toFixed(1)} µs/quote), ` +
      `median ${fmt(med)} quotes/s (${(1e6 / med).toFixed(1)} µs/quote), ${fmt(QUOTES)} quotes × ${RUNS} runs; ` +
      `${(med / 2_000).toFixed(1)}× a feed of 2,000 quotes/s (median), ` +
      `${(1e9 / med / (repriced / SIM_INSTRUMENTS.length)) | 0} ns per re-priced position`,
  );
  console.log(`  events raised over all runs: ${JSON.stringify(events)}`);

  const snaps: number[] = [];
  let rows = 0;
  for (let run = 0; run <= RUNS; run++) {
    const started = process.hrtime.bigint();
    const snap = exposure.snapshot({ reportingCurrency: 'EUR' });
    rows = snap.rows.length + snap.firmBBook.length;
    if (run > 0) snaps.push(seconds(started));
  }
  console.log(
    `Exposure snapshot (brand × group × book × symbol, EUR): best ${(Math.min(...snaps) * 1e3).toFixed(2)} ms, ` +
      `median ${(median(snaps) * 1e3).toFixed(2)} ms, ${rows} rows`,
  );

  // ----- 2. margin-change preview -----
  const big = build(PREVIEW_ACCOUNTS, 3, 13);
  console.log(
    `\nPreview book: ${fmt(big.book.size.accounts)} accounts, ${fmt(big.book.size.positions)} positions ` +
      `(built in ${big.buildSeconds.toFixed(1)} s)`,
  );
  const changes: [string, MarginChange][] = [
    [
      'FX_MAJOR → 1:10, all groups of brand alpha',
      { brand: 'alpha', target: { assetClass: 'FX_MAJOR' }, leverage: 10 },
    ],
    [
      'XAUUSD, US500 → 1:5, group alpha-retail',
      { brand: 'alpha', riskGroups: ['alpha-retail'], target: { symbols: ['XAUUSD', 'US500'] }, leverage: 5 },
    ],
  ];
  for (const [label, change] of changes) {
    const times: number[] = [];
    let summary = '';
    for (let run = 0; run <= RUNS; run++) {
      const started = process.hrtime.bigint();
      const preview = previewMarginChange(big.book, change);
      const s = seconds(started);
      if (run > 0) times.push(s);
      summary =
        `${fmt(preview.accountsChanged)} accounts / ${fmt(preview.positionsChanged)} positions change; ` +
        `margin call ${preview.marginCallBefore} → ${preview.marginCallAfter}, ` +
        `stop-out ${preview.stopOutBefore} → ${preview.stopOutAfter}`;
    }
    console.log(
      `Preview "${label}": best ${(Math.min(...times) * 1e3).toFixed(1)} ms, median ${(median(times) * 1e3).toFixed(1)} ms — ${summary}`,
    );
  }
  const applyStarted = process.hrtime.bigint();
  const applied = big.book.changeMarginRequirement(changes[0][1]);
  console.log(`Apply "${changes[0][0]}": ${(seconds(applyStarted) * 1e3).toFixed(1)} ms, ${applied.length} events`);
}

main();
