import fc from 'fast-check';
import { dayContaining, formatInstant, parseInstant, resetInstant } from './calendar';

const epochDay = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const minute = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};
const reset = (zone: string, date: string, time: string) =>
  formatInstant(resetInstant(zone, epochDay(date), minute(time)));

describe('resetInstant', () => {
  it.each([
    // Prague: CET in winter, CEST in summer; the 23-hour Sunday of the spring change.
    ['Europe/Prague', '2025-01-14', '00:00', '2025-01-13T23:00:00Z'],
    ['Europe/Prague', '2025-06-03', '00:00', '2025-06-02T22:00:00Z'],
    ['Europe/Prague', '2025-03-30', '00:00', '2025-03-29T23:00:00Z'],
    ['Europe/Prague', '2025-03-31', '00:00', '2025-03-30T22:00:00Z'],
    ['America/Chicago', '2025-06-02', '17:00', '2025-06-02T22:00:00Z'],
    ['America/Chicago', '2025-12-02', '17:00', '2025-12-02T23:00:00Z'],
    ['Asia/Tokyo', '2025-11-03', '00:00', '2025-11-02T15:00:00Z'],
  ])('%s %s %s is %s', (zone, date, time, expected) => {
    expect(reset(zone, date, time)).toBe(expected);
  });

  it.each([
    // 02:30 does not exist on the spring-forward night: the offset from before the gap (CET) applies.
    ['Europe/Prague', '2025-03-30', '02:30', '2025-03-30T01:30:00Z'],
    ['America/New_York', '2025-03-09', '02:30', '2025-03-09T07:30:00Z'],
    // Half-hour daylight saving, and a gap at midnight.
    ['Australia/Lord_Howe', '2025-10-05', '02:15', '2025-10-04T15:45:00Z'],
    ['America/Santiago', '2025-09-07', '00:00', '2025-09-07T04:00:00Z'],
  ])('a skipped local time takes the offset from before the gap: %s %s %s', (zone, date, time, expected) => {
    expect(reset(zone, date, time)).toBe(expected);
  });

  it.each([
    // 01:30 happens twice when the clocks go back: the first occurrence (summer time) applies.
    ['America/New_York', '2025-11-02', '01:30', '2025-11-02T05:30:00Z'],
    ['Europe/Prague', '2025-10-26', '02:30', '2025-10-26T00:30:00Z'],
  ])('a repeated local time takes its first occurrence: %s %s %s', (zone, date, time, expected) => {
    expect(reset(zone, date, time)).toBe(expected);
  });
});

describe('dayContaining', () => {
  it('finds the reset at or before the instant', () => {
    const at = Date.parse('2025-06-02T13:30:00Z'); // 08:30 CDT
    const { start, epochDay: day } = dayContaining('America/Chicago', minute('17:00'), at);
    expect(formatInstant(start)).toBe('2025-06-01T22:00:00Z');
    expect(day).toBe(epochDay('2025-06-01'));
  });

  it('puts an instant exactly at a reset into the new day', () => {
    const at = Date.parse('2025-01-13T23:00:00Z');
    expect(formatInstant(dayContaining('Europe/Prague', 0, at).start)).toBe('2025-01-13T23:00:00Z');
  });
});

describe('instants', () => {
  it('agrees with Date for every valid instant, with or without milliseconds and offsets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (at, offsetMinutes) => {
          const iso = new Date(at).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
          expect(parseInstant(iso)).toBe(at);
          expect(parseInstant(`${iso.slice(0, 19)}Z`)).toBe(at - (((at % 1000) + 1000) % 1000));
          const local = new Date(at + offsetMinutes * 60_000).toISOString().slice(0, 23);
          fc.pre(/^\d{4}-/.test(local));
          const magnitude = Math.abs(offsetMinutes);
          const offset = `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(magnitude / 60)).padStart(2, '0')}:${String(magnitude % 60).padStart(2, '0')}`;
          expect(parseInstant(`${local}${offset}`)).toBe(at);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it.each([
    '2025-02-29T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-01-01T24:00:00Z',
    '2025-01-01T23:59:60Z',
    '2025-1-01T00:00:00Z',
    '2025-01-01T00:00:00+25:00',
  ])('refuses the impossible %s', (text) => {
    expect(parseInstant(text)).toBeNull();
  });

  it('parses ISO 8601 with a zone and formats UTC without zero milliseconds', () => {
    expect(parseInstant('2025-03-03T08:00:00Z')).toBe(Date.UTC(2025, 2, 3, 8));
    expect(parseInstant('2025-03-03T09:00:00+01:00')).toBe(Date.UTC(2025, 2, 3, 8));
    expect(parseInstant('2025-03-03T08:00:00.250Z')).toBe(Date.UTC(2025, 2, 3, 8, 0, 0, 250));
    expect(parseInstant('2025-03-03T08:00:00')).toBeNull(); // no zone: ambiguous
    expect(parseInstant('March 3, 2025')).toBeNull();
    expect(formatInstant(Date.UTC(2025, 2, 3, 8))).toBe('2025-03-03T08:00:00Z');
    expect(formatInstant(Date.UTC(2025, 2, 3, 8, 0, 0, 250))).toBe('2025-03-03T08:00:00.250Z');
  });
});
