import { type Clock, Coalescer } from './coalesce';

/** A clock the test moves by hand. */
function fakeClock() {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      const i = timers.indexOf(handle as never);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const advance = async (ms: number) => {
    now += ms;
    for (const t of [...timers].sort((a, b) => a.at - b.at)) {
      if (t.at > now) continue;
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
    await new Promise((r) => setImmediate(r));
  };
  return { clock, advance, pending: () => timers.length };
}

describe('Coalescer (exposure subscription windows)', () => {
  it('sends at most one message per window and always ends on the latest figures', async () => {
    const { clock, advance, pending } = fakeClock();
    let figures = 0;
    const c = new Coalescer(() => figures, 100, clock);
    const received: number[] = [];
    const reader = (async () => {
      for await (const v of c) received.push(v);
    })();
    c.poke(); // first message at once
    await advance(0);
    expect(received).toEqual([0]);
    // A burst of 50 ticks within 50 ms: nothing until the window ends, then one message with the last figures.
    for (let i = 1; i <= 50; i++) {
      figures = i;
      c.poke();
      await advance(1);
    }
    expect(received).toEqual([0]);
    expect(pending()).toBe(1);
    await advance(50);
    expect(received).toEqual([0, 50]);
    // Quiet: no message without a tick; a tick after the window goes out at once.
    await advance(500);
    expect(received).toEqual([0, 50]);
    figures = 51;
    c.poke();
    await advance(0);
    expect(received).toEqual([0, 50, 51]);
    await c.return();
    await reader;
  });

  it('keeps only the newest value for a slow reader', async () => {
    const { clock, advance } = fakeClock();
    let figures = 0;
    const c = new Coalescer(() => figures, 100, clock);
    c.poke();
    await advance(0);
    figures = 7;
    c.poke();
    await advance(100);
    expect(await c.next()).toEqual({ value: 7, done: false });
    await c.return();
    expect(await c.next()).toEqual({ value: undefined, done: true });
  });
});
