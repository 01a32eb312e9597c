/**
 * Runs the simulator against the wall clock at a speed factor.
 *
 * The speed only maps wall time to simulated time: at each wall tick the simulator is advanced to
 * `simStart + speed × wallElapsed`, in its own fixed ticks, so any speed produces the same event
 * stream (only the batching differs). Speed 1440 plays a 24-hour day in a minute (the demo);
 * 'max' runs as fast as the machine can (benchmarks, catching up), in chunks of simulated time
 * between which the event loop gets a turn.
 */
import type { SimulatedPlatform } from './simulator';

export interface DriverOptions {
  /** Simulated milliseconds per wall millisecond, or 'max'. */
  speed: number | 'max';
  /** Wall time between advances [100 ms]. */
  wallTickMs?: number;
  /** With speed 'max': simulated time per chunk [1 min]. */
  maxChunkMs?: number;
  /** Stop on reaching this simulated instant (epoch ms). */
  until?: number;
  /** Wall clock in ms; injectable for tests [performance.now]. */
  wallClock?: () => number;
  /** Runs `task` after `ms` of wall time; injectable for tests [setTimeout / setImmediate]. */
  schedule?: (task: () => void, ms: number) => void;
}

const defaultSchedule = (task: () => void, ms: number) => {
  if (ms <= 0) setImmediate(task);
  else setTimeout(task, ms);
};

export class SimulationDriver {
  private readonly wallTickMs: number;
  private readonly maxChunkMs: number;
  private readonly wallClock: () => number;
  private readonly schedule: (task: () => void, ms: number) => void;
  private wallStart = 0;
  private simStart = 0;
  private active = false;
  /** Bumped on every start, so that a loop scheduled before a pause cannot run beside a new one. */
  private generation = 0;
  private resolveDone: () => void = () => {};
  /** Resolves when the driver stops (by `stop()` or on reaching `until`). */
  readonly done: Promise<void>;

  constructor(
    private readonly simulator: SimulatedPlatform,
    private readonly options: DriverOptions,
  ) {
    if (options.speed !== 'max' && !(options.speed > 0)) throw new Error('speed must be positive or "max"');
    this.wallTickMs = options.wallTickMs ?? 100;
    this.maxChunkMs = options.maxChunkMs ?? 60_000;
    this.wallClock = options.wallClock ?? (() => performance.now());
    this.schedule = options.schedule ?? defaultSchedule;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  get running(): boolean {
    return this.active;
  }

  /** Starts, or resumes after `pause()`, from the simulator's current instant. */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.generation += 1;
    this.wallStart = this.wallClock();
    this.simStart = this.simulator.now;
    this.loop(this.generation);
  }

  /** Halts without finishing, e.g. while the receiver catches up; simulated time stands still. */
  pause(): void {
    this.active = false;
  }

  stop(): void {
    this.active = false;
    this.resolveDone();
  }

  /** Advances the simulator to where the wall clock says it should be. */
  pump(): void {
    const { speed, until } = this.options;
    let target =
      speed === 'max'
        ? this.simulator.now + this.maxChunkMs
        : this.simStart + Math.floor(speed * (this.wallClock() - this.wallStart));
    if (until !== undefined && target >= until) target = until;
    this.simulator.advanceTo(target);
    if (until !== undefined && this.simulator.now + this.simulator.tickMs > until) this.stop();
  }

  private loop(generation: number): void {
    if (!this.active || generation !== this.generation) return;
    this.pump();
    if (this.active) this.schedule(() => this.loop(generation), this.options.speed === 'max' ? 0 : this.wallTickMs);
  }
}
