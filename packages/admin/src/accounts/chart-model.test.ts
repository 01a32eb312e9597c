import { chartModel, throttle } from './chart-model';

describe('chartModel', () => {
  const series = [
    { at: '2025-03-03T03:10:00.000Z', equity: '95852.71' },
    { at: '2025-03-03T03:11:00.000Z', equity: '96935.80' },
    { at: '2025-03-03T03:11:01.000Z', equity: '96878.67' },
    { at: '2025-03-03T03:11:01.000Z', equity: '96862.67' },
    { at: 'nonsense', equity: '1' },
  ];

  it('keeps time order and the last equity of a timestamp', () => {
    const model = chartModel(series, {});
    expect(model.points).toEqual([
      [Date.parse('2025-03-03T03:10:00.000Z'), 95852.71],
      [Date.parse('2025-03-03T03:11:00.000Z'), 96935.8],
      [Date.parse('2025-03-03T03:11:01.000Z'), 96862.67],
    ]);
  });

  it('draws the floors and the target, and shows them all', () => {
    const model = chartModel(series, {
      dailyFloor: '95000.00',
      maxFloor: '90000.00',
      target: '108000.00',
      initial: null,
    });
    expect(model.lines).toEqual([
      { id: 'dailyFloor', value: 95000 },
      { id: 'maxFloor', value: 90000 },
      { id: 'target', value: 108000 },
    ]);
    expect(model.min).toBeLessThan(90000);
    expect(model.max).toBeGreaterThan(108000);
  });

  it('has a range without any data', () => {
    expect(chartModel([], {})).toEqual({ points: [], lines: [], min: 0, max: 1 });
  });
});

describe('throttle', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs at once, then at most once per interval, ending on the last call', () => {
    const fn = jest.fn();
    const call = throttle(fn, 2000);
    call();
    expect(fn).toHaveBeenCalledTimes(1);
    call();
    call();
    expect(fn).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(2000);
    expect(fn).toHaveBeenCalledTimes(2);
    call.cancel();
  });
});
