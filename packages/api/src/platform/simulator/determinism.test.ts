import { createHash } from 'node:crypto';
import type { PlatformEvent } from '../platform';
import { SimulationDriver } from './driver';
import { SimulatedPlatform } from './simulator';

const N = 5_000;

/** A simulator with 30 traders; `events` collects the whole stream, account openings included. */
function newSimulator(seed: number): { sim: SimulatedPlatform; events: PlatformEvent[]; batches: () => number } {
  const sim = new SimulatedPlatform({ seed });
  const events: PlatformEvent[] = [];
  let batches = 0;
  sim.subscribe((batch) => {
    batches += 1;
    events.push(...batch);
  });
  sim.addTraders(30);
  return { sim, events, batches: () => batches };
}

/** SHA-256 of the first N events, one JSON line each: the bytes a bridge would send. */
function hashOf(events: readonly PlatformEvent[]): string {
  const hash = createHash('sha256');
  for (const event of events.slice(0, N)) hash.update(`${JSON.stringify(event)}\n`);
  return hash.digest('hex');
}

function firstEventsDirect(seed: number): PlatformEvent[] {
  const { sim, events } = newSimulator(seed);
  while (events.length < N) sim.runFor(3_600_000);
  return events;
}

/** Runs the real driver at `speed` against a fake wall clock: no sleeping, uneven wall ticks. */
function firstEventsDriven(seed: number, speed: number): { events: PlatformEvent[]; batches: number } {
  const { sim, events, batches } = newSimulator(seed);
  let wall = 0;
  let next: (() => void) | null = null;
  const driver = new SimulationDriver(sim, {
    speed,
    wallClock: () => wall,
    schedule: (task) => {
      next = task;
    },
  });
  driver.start();
  for (let i = 0; events.length < N; i += 1) {
    wall += 70 + (i % 5) * 20; // a jittery event loop
    const task = next as (() => void) | null;
    next = null;
    task?.();
  }
  driver.stop();
  return { events, batches: batches() };
}

describe('deterministic event stream', () => {
  it('gives byte-identical first events for the same seed, run twice', () => {
    const first = firstEventsDirect(42);
    expect(new Set(first.slice(0, N).map((e) => e.type))).toEqual(new Set(['quote', 'deal', 'equity', 'position']));
    expect(hashOf(first)).toBe(hashOf(firstEventsDirect(42)));
  });

  it('gives the same stream at two speed factors, however the driver batches it', () => {
    const demo = firstEventsDriven(42, 1_440); // a day in a minute
    const fast = firstEventsDriven(42, 20_000);
    expect(demo.batches).not.toBe(fast.batches);
    expect(hashOf(demo.events)).toBe(hashOf(fast.events));
    expect(hashOf(demo.events)).toBe(hashOf(firstEventsDirect(42)));
  });

  it('gives a different stream for a different seed', () => {
    expect(hashOf(firstEventsDirect(43))).not.toBe(hashOf(firstEventsDirect(42)));
  });

  it('numbers events in stream order', () => {
    const events = firstEventsDirect(42).slice(0, 100);
    expect(events.map((e) => e.eventId)).toEqual(events.map((_, i) => `sim-${i + 1}`));
  });
});

describe('driver', () => {
  it('maps wall time to simulated time by the speed factor and stops at `until`', () => {
    const sim = new SimulatedPlatform({ seed: 1 });
    let wall = 0;
    let next: (() => void) | null = null;
    const until = sim.start + 3_600_000;
    const driver = new SimulationDriver(sim, {
      speed: 1_440,
      until,
      wallClock: () => wall,
      schedule: (task) => {
        next = task;
      },
    });
    driver.start();
    wall = 1_000;
    (next as (() => void) | null)?.();
    expect(sim.now).toBe(sim.start + 1_440_000);
    wall = 10_000;
    (next as (() => void) | null)?.();
    expect(sim.now).toBe(until);
    expect(driver.running).toBe(false);
  });
});
