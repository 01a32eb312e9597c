import { liveStatus, retryDelay } from './live';

describe('liveStatus', () => {
  it('is live while the socket is open and the subscription has not failed', () => {
    expect(liveStatus('connected', false, true)).toBe('live');
  });

  it('is connecting before the first connection and reconnecting after a drop or a failure', () => {
    expect(liveStatus('idle', false, false)).toBe('connecting');
    expect(liveStatus('connecting', false, false)).toBe('connecting');
    expect(liveStatus('closed', false, true)).toBe('reconnecting');
    expect(liveStatus('connecting', false, true)).toBe('reconnecting');
    expect(liveStatus('connected', true, true)).toBe('reconnecting');
  });
});

describe('retryDelay', () => {
  it('doubles from one second up to thirty', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});
