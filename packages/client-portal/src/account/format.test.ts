import { formatDateTime, minutesToWait, statusColor } from './format';

describe('account formatting', () => {
  it('shows a moment in the trader zone, not the browser one', () => {
    const at = '2025-03-03T09:00:00Z';
    expect(formatDateTime(at, 'en', 'Asia/Dubai')).toContain('1:00');
    expect(formatDateTime(at, 'en', 'America/New_York')).toContain('4:00');
  });

  it('falls back to the browser zone for an unknown zone, and leaves a bad date as it was', () => {
    expect(formatDateTime('2025-03-03T09:00:00Z', 'en', 'Not/AZone')).toMatch(/2025/);
    expect(formatDateTime('yesterday', 'en', 'UTC')).toBe('yesterday');
  });

  it('rounds a lockout up to whole minutes', () => {
    expect(minutesToWait(900)).toBe(15);
    expect(minutesToWait(61)).toBe(2);
    expect(minutesToWait(5)).toBe(1);
    expect(minutesToWait(null)).toBe(1);
  });

  it('colours a breach red and a funded account green', () => {
    expect(statusColor('BREACHED')).toBe('red');
    expect(statusColor('FUNDED')).toBe('green');
    expect(statusColor('SOMETHING')).toBe('gray');
  });
});
