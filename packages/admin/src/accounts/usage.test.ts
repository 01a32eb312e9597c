import { awaitsReview, barValue, rejectionReason, statusColor, usageColor, usageLevel } from './usage';

describe('usage of a limit', () => {
  it.each([
    [null, 'none', 'gray'],
    [-26.6, 'ok', 'teal'],
    [0, 'ok', 'teal'],
    [49.99, 'ok', 'teal'],
    [50, 'watch', 'yellow'],
    [79.9, 'watch', 'yellow'],
    [80, 'near', 'orange'],
    [99.99, 'near', 'orange'],
    [100, 'breached', 'red'],
    [105.84, 'breached', 'red'],
  ])('%p %% used is %s (%s)', (pct, level, color) => {
    expect(usageLevel(pct)).toBe(level);
    expect(usageColor(pct)).toBe(color);
  });

  it('fills the bar between 0 and 100', () => {
    expect(barValue(-4.17)).toBe(0);
    expect(barValue(36.86)).toBe(36.86);
    expect(barValue(103.49)).toBe(100);
    expect(barValue(undefined)).toBe(0);
  });
});

describe('account status', () => {
  it('colours known statuses and leaves others grey', () => {
    expect(statusColor('BREACHED')).toBe('red');
    expect(statusColor('PASSED')).toBe('green');
    expect(statusColor('SOMETHING_NEW')).toBe('gray');
  });

  it('waits for review only when passed and pending', () => {
    expect(awaitsReview({ status: 'PASSED', review: 'PENDING_REVIEW' })).toBe(true);
    expect(awaitsReview({ status: 'PASSED', review: 'AWAITING_TRADER' })).toBe(false);
    expect(awaitsReview({ status: 'ACTIVE', review: null })).toBe(false);
  });
});

describe('rejectionReason', () => {
  it('reads the reason staff gave from the ended rule of a rejected pass', () => {
    expect(rejectionReason({ review: 'REJECTED', endedRule: 'REVIEW_REJECTED: one trade made the profit' })).toBe(
      'one trade made the profit',
    );
    expect(rejectionReason({ review: 'REJECTED', endedRule: 'something else' })).toBe('something else');
    expect(rejectionReason({ review: 'APPROVED', endedRule: null })).toBeNull();
    expect(rejectionReason({ review: 'REJECTED', endedRule: null })).toBeNull();
  });
});
