import { formatDuration, formatPercent, formatTimestamp, formatTimeOfDay, isolate } from './format';

/** Spaces as the test writes them (ICU puts narrow no-break spaces in some formats). */
const plain = (text: string) => text.replace(/\s/g, ' ');

describe('formatPercent', () => {
  it('formats a value in percent in the UI language', () => {
    expect(formatPercent(36.86, 'en')).toBe('36.9%');
    expect(plain(formatPercent(36.86, 'es'))).toBe('36,9 %');
    expect(formatPercent(105.84, 'en', 0)).toBe('106%');
  });

  it('shows a dash for nothing', () => {
    expect(formatPercent(null, 'en')).toBe('—');
    expect(formatPercent(Number.NaN, 'en')).toBe('—');
  });
});

describe('formatDuration', () => {
  it('keeps the two largest units', () => {
    expect(formatDuration(1654, 'en')).toBe('27 min 34 sec');
    expect(formatDuration(3 * 86_400 + 5 * 3_600 + 59, 'en')).toBe('3 days 5 hr');
    expect(formatDuration(3_600, 'en')).toBe('1 hr');
  });

  it('shows seconds for short lags, and zero', () => {
    expect(formatDuration(4.4, 'en')).toBe('4 sec');
    expect(formatDuration(0, 'en')).toBe('0 sec');
  });

  it('marks a negative lag and shows a dash for none', () => {
    expect(formatDuration(-90, 'en')).toBe('−1 min 30 sec');
    expect(formatDuration(null, 'en')).toBe('—');
  });
});

describe('times with their zone', () => {
  const at = '2025-03-03T03:04:05.000Z';

  it('names the zone the time is shown in', () => {
    expect(plain(formatTimeOfDay(at, 'en', 'Asia/Dubai'))).toBe('7:04:05 AM GMT+4');
    expect(plain(formatTimestamp(at, 'en', 'Europe/Prague'))).toBe('Mar 3, 2025, 4:04:05 AM GMT+1');
    expect(plain(formatTimestamp(at, 'es', 'Europe/Prague'))).toBe('3 mar 2025, 4:04:05 CET');
    expect(plain(formatTimestamp(at, 'en', 'UTC'))).toBe('Mar 3, 2025, 3:04:05 AM UTC');
  });

  it('shows a dash for no time', () => {
    expect(formatTimestamp(null, 'en')).toBe('—');
  });
});

describe('isolate', () => {
  it('isolates a value inside right-to-left text only', () => {
    expect(isolate('US$ 94,939.36', 'ar')).toBe('\u2068US$ 94,939.36\u2069');
    expect(isolate('$94,939.36', 'en')).toBe('$94,939.36');
  });
});
