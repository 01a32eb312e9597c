/**
 * The simulator as its own process, talking to the API the way a real platform bridge would.
 *
 *   npx tsx src/platform/simulator/cli.ts --seed 42 --traders 60 --speed 1440 \
 *     --url http://localhost:4000/platform/events --token $TOKEN
 *
 * Options (or environment): --seed (SIMULATOR_SEED, 1), --traders (SIMULATOR_TRADERS, 60),
 * --speed (SIMULATOR_SPEED: simulated per wall time, 1440 = a day in a minute, or "max"),
 * --start (SIMULATOR_START, ISO instant), --days (SIMULATOR_DAYS: stop after so many simulated
 * days; default: run until interrupted, or 7 days at "max"), --url (SIMULATOR_INGEST_URL) and
 * --token (SIMULATOR_INGEST_TOKEN). Without a URL nothing is sent. Either way one summary line
 * per simulated day goes to stdout.
 */
import { parseArgs } from 'node:util';
import { formatMoney } from '../../rules/money';
import type { PlatformEvent } from '../platform';
import { SimulationDriver } from './driver';
import { EventSender } from './sender';
import { DEFAULT_START, SimulatedPlatform } from './simulator';

const DAY_MS = 86_400_000;
/** Pause the simulation while this many events wait for the API; resume under a quarter of it. */
const HIGH_WATER = 200_000;

interface Settings {
  seed: number;
  traders: number;
  speed: number | 'max';
  start: string;
  days: number | null;
  url: string | null;
  token: string | null;
}

function readSettings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      traders: { type: 'string' },
      speed: { type: 'string' },
      start: { type: 'string' },
      days: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
    },
  });
  const env = process.env;
  const whole = (name: string, text: string | undefined, fallback: number) => {
    const value = text === undefined || text === '' ? fallback : Number(text);
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, not "${text}"`);
    return value;
  };
  const speedText = values.speed ?? env.SIMULATOR_SPEED ?? '1440';
  const speed = speedText === 'max' ? 'max' : Number(speedText);
  if (speed !== 'max' && !(speed > 0))
    throw new Error(`--speed must be a positive number or "max", not "${speedText}"`);
  const daysText = values.days ?? env.SIMULATOR_DAYS;
  return {
    seed: whole('seed', values.seed ?? env.SIMULATOR_SEED, 1),
    traders: whole('traders', values.traders ?? env.SIMULATOR_TRADERS, 60),
    speed,
    start: values.start ?? env.SIMULATOR_START ?? DEFAULT_START,
    days: daysText !== undefined ? whole('days', daysText, 0) : speed === 'max' ? 7 : null,
    url: values.url ?? env.SIMULATOR_INGEST_URL ?? null,
    token: values.token ?? env.SIMULATOR_INGEST_TOKEN ?? null,
  };
}

/** Counts a simulated day's events and prints one line when the day is over. */
class DailySummary {
  private day: number;
  private counts = new Map<string, number>();

  constructor(
    private readonly sim: SimulatedPlatform,
    private readonly sender: EventSender | null,
  ) {
    this.day = Math.floor(sim.now / DAY_MS);
  }

  add(events: readonly PlatformEvent[]): void {
    for (const event of events) {
      const day = Math.floor(Date.parse(event.at) / DAY_MS);
      if (day !== this.day) this.print(day);
      this.counts.set(event.type, (this.counts.get(event.type) ?? 0) + 1);
    }
  }

  print(nextDay = this.day + 1): void {
    const date = new Date(this.day * DAY_MS).toISOString().slice(0, 10);
    const total = [...this.counts.values()].reduce((a, b) => a + b, 0);
    const byType = [...this.counts].map(([type, n]) => `${type} ${n}`).join(', ');
    const accounts = this.sim.accounts();
    const open = accounts.reduce((n, a) => n + a.positions.length, 0);
    const balance = accounts.reduce((sum, a) => sum + (a.currency === 'USD' ? a.balance : 0), 0);
    const shocks = this.sim.shocks().map((s) => `${s.symbol}×${s.factor.toFixed(1)}`);
    const sent = this.sender === null ? '' : `  sent ${this.sender.sent}, queued ${this.sender.queued}`;
    console.log(
      `${date}  events ${total} (${byType || 'none'})  accounts ${accounts.length}, open positions ${open}` +
        `  balances ${formatMoney(balance, 2)} USD${shocks.length > 0 ? `  shocks ${shocks.join(' ')}` : ''}${sent}`,
    );
    this.day = nextDay;
    this.counts = new Map();
  }
}

async function main(): Promise<void> {
  const settings = readSettings(process.argv.slice(2));
  const sim = new SimulatedPlatform({ seed: settings.seed, start: settings.start });
  const sender =
    settings.url === null
      ? null
      : new EventSender({ url: settings.url, token: settings.token ?? undefined, server: sim.server });
  const summary = new DailySummary(sim, sender);
  // The last tick of the last day: the next day starts outside the run.
  const until = settings.days === null ? undefined : sim.start + settings.days * DAY_MS - sim.tickMs;
  const driver = new SimulationDriver(sim, { speed: settings.speed, until });

  let finished = false;
  void driver.done.then(() => {
    finished = true;
  });
  sim.subscribe((events) => {
    summary.add(events);
    if (sender === null) return;
    sender.enqueue(events);
    if (sender.failure !== null) driver.stop();
    else if (sender.queued > HIGH_WATER && driver.running) {
      driver.pause();
      void sender.drain().then(() => {
        if (!finished) driver.start();
      });
    }
  });

  sim.addTraders(settings.traders);
  console.log(
    `simulator seed ${settings.seed}, ${settings.traders} traders from ${new Date(sim.start).toISOString()}, ` +
      `speed ${settings.speed}${settings.url ? `, sending to ${settings.url}` : ', not sending'}`,
  );
  for (const trader of sim.traders()) console.log(`  ${trader.login} ${trader.behaviour}`);

  const interrupt = () => driver.stop();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  driver.start();
  await driver.done;
  summary.print();
  if (sender !== null) {
    await sender.drain();
    if (sender.failure !== null) throw sender.failure;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
