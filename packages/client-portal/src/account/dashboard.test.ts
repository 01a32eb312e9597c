import { barPercent, formatExact, formatInZone, roomLeft, untilParts, usageTone } from './dashboard';

describe('the account dashboard', () => {
  it('shows money to the cent, in the trader language', () => {
    expect(formatExact('94999.99', 'USD', 'en')).toBe('$94,999.99');
    expect(formatExact('95000', 'USD', 'en')).toBe('$95,000.00');
    expect(formatExact('1234.5', 'EUR', 'es')).toMatch(/1234,50|1\.234,50/);
  });

  it('keeps bars within 0–100 and colours a limit by how much of it is used', () => {
    expect(barPercent(130)).toBe(100);
    expect(barPercent(-5)).toBe(0);
    expect(barPercent(null)).toBe(0);
    expect([10, 50, 80, 95].map(usageTone)).toEqual(['calm', 'watch', 'warning', 'danger']);
  });

  it('never shows negative room before a floor', () => {
    expect(roomLeft('-0.01')).toBe('0.00');
    expect(roomLeft('1250.40')).toBe('1250.40');
  });

  it('counts down to the next reset in whole minutes, and stops once it passed', () => {
    const now = Date.parse('2026-11-25T20:40:30Z');
    expect(untilParts('2026-11-25T23:00:00Z', now)).toEqual({ hours: 2, minutes: 20 });
    expect(untilParts('2026-11-25T20:00:00Z', now)).toBeNull();
  });

  it('writes the reset instant in the trader zone, DST included', () => {
    expect(formatInZone('2026-03-29T01:00:00Z', 'en', 'Europe/Prague')).toContain('3:00');
    expect(formatInZone('2026-03-28T23:00:00Z', 'en', 'Europe/Prague')).toContain('12:00');
  });
});
