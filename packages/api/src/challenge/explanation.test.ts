import { applyEvent, createPhaseState, parseEvent } from '../rules/engine';
import { parsePhaseRules } from '../rules/rules.schema';
import { explainOutcome } from './explanation';
import ar from './i18n/ar.json';
import en from './i18n/en.json';
import es from './i18n/es.json';

function phase(rawRules: object, events: object[]) {
  const rules = parsePhaseRules(rawRules);
  const state = createPhaseState(rules, { initialBalance: '100000.00', currency: 'USD' });
  events.forEach((raw, i) => {
    applyEvent(state, parseEvent(raw, 'USD'), i);
  });
  return { status: state.status, state, rules };
}

const open = {
  at: '2025-03-04T08:00:00Z',
  type: 'deal',
  id: 'd1',
  position: 'p1',
  entry: 'in',
  volume: '1',
  profit: '0',
  commission: '0',
  swap: '0',
};
const FTMO = {
  dayReset: { timeZone: 'Europe/Prague', localTime: '00:00' },
  dailyLoss: { pct: '5' },
  maxLoss: { pct: '10' },
  profitTarget: { pct: '10' },
};

describe('explainOutcome', () => {
  const dailyBreach = phase(FTMO, [open, { at: '2025-03-04T09:30:00Z', type: 'equity', equity: '94999.99' }]);

  it('explains a daily-loss breach with the floor, its base and allowance, in the phase zone and the reader’s', () => {
    expect(explainOutcome(dailyBreach, 'en', 'America/New_York')).toEqual({
      kind: 'BREACH',
      rule: 'DAILY_LOSS',
      at: '2025-03-04T09:30:00Z',
      title: 'Breached: daily loss limit',
      text:
        'Your equity $94,999.99 fell below the daily floor $95,000.00 on Mar 4, 2025, 10:30 AM Prague time (Mar 4, 2025, 4:30 AM your time), ' +
        'set at 12:00 AM Prague time from the balance $100,000.00 minus 5 % of $100,000.00.',
    });
  });

  it('speaks Spanish and Arabic', () => {
    const es = explainOutcome(dailyBreach, 'es')!.text;
    expect(es).toMatch(/^Tu equidad 94\.999,99\sUS\$ bajó por debajo del mínimo diario 95\.000,00\sUS\$ el 4 mar 2025/);
    expect(es).toMatch(/sobre el saldo 100\.000,00\sUS\$ menos el 5 % de 100\.000,00\sUS\$\.$/);
    expect(explainOutcome(dailyBreach, 'ar')!.title).toBe('مخالفة: حد الخسارة اليومية');
  });

  it('explains manual decisions with their reason, and a pass with the target', () => {
    const failed = phase(FTMO, [
      open,
      { at: '2025-03-04T10:00:00Z', type: 'staff', id: 'a', action: 'FAIL', reason: 'Hedging' },
    ]);
    expect(explainOutcome(failed, 'en')!.text).toBe(
      'Failed by staff on Mar 4, 2025, 11:00 AM Prague time. Reason: Hedging',
    );
    const passed = phase({ ...FTMO, minTradingDays: 0 }, [
      open,
      { ...open, at: '2025-03-04T12:00:00Z', id: 'd2', entry: 'out', profit: '10000.00' },
    ]);
    expect(explainOutcome(passed, 'en')!.text).toBe(
      'Passed on Mar 4, 2025, 1:00 PM Prague time: the closed balance $110,000.00 reached the profit target $110,000.00 after 1 trading day.',
    );
    expect(explainOutcome(phase(FTMO, [open]), 'en')).toBeNull();
  });

  it('has the same messages in every catalogue', () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
  });
});
