/**
 * How fast the simulator produces the platform event stream, as fast as possible (speed "max").
 *
 *   packages/api/node_modules/.bin/tsx bench/simulator.bench.ts            # from the repository root
 *   cd packages/api && npx tsx ../../bench/simulator.bench.ts              # the same, from the package
 *   ... simulator.bench.ts 2000 4                                          # accounts, simulated hours
 *
 * Fixed workload: 10,000 simulated traders (the six behaviours in turn), seed 1, from Monday
 * 2025-03-03 06:00 UTC for 8 simulated hours (London open to New York morning: the busy part of
 * the day), 1-second market ticks, quotes every minute, equity snapshots every minute and
 * position snapshots every five. Phase 1 counts the events only (generation); phase 2 repeats
 * the first two hours and also serialises every event to an NDJSON line, as the bridge does.
 */
import os from 'node:os';
import { SimulatedPlatform } from '../packages/api/src/platform/simulator/simulator';

const ACCOUNTS = Number(process.argv[2] ?? 10_000);
const HOURS = Number(process.argv[3] ?? 8);
const SEED = 1;
const START = '2025-03-03T06:00:00Z';
const HOUR_MS = 3_600_000;

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

function run(hours: number, serialise: boolean) {
  const setupStart = process.hrtime.bigint();
  const sim = new SimulatedPlatform({ seed: SEED, start: START });
  sim.addTraders(ACCOUNTS);
  const setup = seconds(setupStart);
  const counts: Record<string, number> = { quote: 0, deal: 0, equity: 0, position: 0, balance: 0 };
  let bytes = 0;
  sim.subscribe((events) => {
    for (const event of events) {
      counts[event.type] += 1;
      if (serialise) bytes += JSON.stringify(event).length + 1;
    }
  });
  const started = process.hrtime.bigint();
  const end = sim.now + hours * HOUR_MS;
  // One simulated minute per call, as the driver does at speed "max": batches stay small.
  while (sim.now < end) sim.runFor(60_000);
  const elapsed = seconds(started);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    setup,
    elapsed,
    total,
    counts,
    bytes,
    openPositions: sim.accounts().reduce((n, a) => n + a.positions.length, 0),
  };
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `machine: ${cpu}, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.arch()}, Node ${process.version}`,
);
console.log(`workload: ${ACCOUNTS} accounts, ${HOURS} simulated hours from ${START}, seed ${SEED}, one core\n`);

run(0.5, false); // warm-up: let V8 optimise the hot paths first

const generation = run(HOURS, false);
const mix = Object.entries(generation.counts)
  .map(([type, n]) => `${type} ${n}`)
  .join(', ');
console.log(`generation:     ${(generation.total / generation.elapsed / 1e6).toFixed(2)} M events/s`);
console.log(`                ${generation.total} events in ${generation.elapsed.toFixed(2)} s (${mix})`);
console.log(
  `                ${((HOURS * 3600) / generation.elapsed).toFixed(0)}× real time; opening ${ACCOUNTS} accounts took ${generation.setup.toFixed(2)} s`,
);
console.log(
  `                ${generation.openPositions} positions open at the end; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
);

const serialised = run(Math.min(2, HOURS), true);
console.log(`+ NDJSON lines: ${(serialised.total / serialised.elapsed / 1e6).toFixed(2)} M events/s`);
console.log(
  `                ${serialised.total} events, ${(serialised.bytes / 2 ** 20).toFixed(0)} MiB in ${serialised.elapsed.toFixed(2)} s (${(serialised.bytes / serialised.total).toFixed(0)} bytes/event)`,
);
