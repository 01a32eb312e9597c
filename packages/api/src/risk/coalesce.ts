/**
 * Per-subscriber coalescing of a live view: ticks say "something moved", the view is computed when
 * a message goes out, so every message carries the latest figures. At most one message per
 * window; a tick inside a window schedules one trailing message at its end, so the last message
 * always reflects the last tick. The first message goes out at once (the current figures).
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class Coalescer<T> implements AsyncIterableIterator<T> {
  private last = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;
  private latest: { value: T } | null = null;
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private closed = false;
  private computing = false;
  private again = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly compute: () => T | Promise<T>,
    private readonly windowMs: number,
    private readonly clock: Clock = realClock,
  ) {}

  /** Runs `fn` when the iterator ends (unsubscribe from the sources). */
  onClose(fn: () => void): this {
    this.cleanups.push(fn);
    return this;
  }

  /** Something moved. */
  poke(): void {
    if (this.closed || this.timer !== null) return;
    const wait = this.last + this.windowMs - this.clock.now();
    if (wait <= 0) this.emit();
    else
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        this.emit();
      }, wait);
  }

  private emit(): void {
    if (this.closed) return;
    if (this.computing) {
      this.again = true;
      return;
    }
    this.last = this.clock.now();
    this.computing = true;
    Promise.resolve()
      .then(() => this.compute())
      .then(
        (value) => this.deliver(value),
        () => undefined,
      )
      .finally(() => {
        this.computing = false;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  private deliver(value: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
    } else {
      // The consumer is behind: only the newest figures matter.
      this.latest = { value };
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.latest) {
      const { value } = this.latest;
      this.latest = null;
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      if (this.timer !== null) this.clock.clearTimeout(this.timer);
      this.timer = null;
      for (const fn of this.cleanups) fn();
      this.waiting?.({ value: undefined, done: true });
      this.waiting = null;
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Pokes `coalescer` for every message on `sources` (pub/sub iterables) until it closes. */
export function feed<T>(coalescer: Coalescer<T>, sources: AsyncIterable<unknown>[]): Coalescer<T> {
  for (const source of sources) {
    const iterator = source[Symbol.asyncIterator]();
    coalescer.onClose(() => void iterator.return?.());
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        coalescer.poke();
      }
    })().catch(() => undefined);
  }
  coalescer.poke();
  return coalescer;
}
