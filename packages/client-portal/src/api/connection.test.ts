import { createConnectionStore, nextConnectionState } from './connection';

describe('connection state', () => {
  it('goes connecting → connected on the first connection', () => {
    expect(nextConnectionState('idle', 'connecting', false)).toBe('connecting');
    expect(nextConnectionState('connecting', 'connected', false)).toBe('connected');
  });

  it('shows reconnecting after a drop until the socket is back', () => {
    expect(nextConnectionState('connected', 'closed', true)).toBe('reconnecting');
    expect(nextConnectionState('reconnecting', 'connecting', true)).toBe('reconnecting');
    expect(nextConnectionState('reconnecting', 'closed', true)).toBe('reconnecting');
    expect(nextConnectionState('reconnecting', 'connected', true)).toBe('connected');
  });

  it('a first attempt that fails is not a reconnect', () => {
    expect(nextConnectionState('connecting', 'closed', false)).toBe('idle');
  });

  it('tells listeners, and reports a reconnection once the socket is back', () => {
    const store = createConnectionStore();
    const states: string[] = [];
    let reconnects = 0;
    store.subscribe(() => states.push(store.get()));
    store.onReconnected(() => reconnects++);
    for (const e of ['connecting', 'connected', 'closed', 'connecting', 'closed', 'connecting', 'connected'] as const) {
      store.dispatch(e);
    }
    expect(states).toEqual([
      'connecting',
      'connected',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'connected',
    ]);
    expect(reconnects).toBe(1);
  });
});
