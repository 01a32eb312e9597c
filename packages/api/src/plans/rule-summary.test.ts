import { parsePhaseRules } from '../rules/rules.schema';
import { SUPPORTED_LOCALES } from '../common/locales';
import ar from '../i18n/ar.json';
import en from '../i18n/en.json';
import es from '../i18n/es.json';
import { summarizePhaseRules } from './rule-summary';
import { PLAN_PRESETS } from './presets';

const ftmo = parsePhaseRules({
  dayReset: { timeZone: 'Europe/Prague', localTime: '00:00' },
  dailyLoss: { pct: '5' },
  maxLoss: { pct: '10' },
  profitTarget: { pct: '10' },
  minTradingDays: 4,
});
const winter = new Date('2026-01-15T12:00:00Z');

describe('rule summary in the trader’s words', () => {
  it('renders the FTMO daily loss with amounts and the reset in both zones (English)', () => {
    const lines = summarizePhaseRules(ftmo, {
      locale: 'en',
      initialBalance: '100000.00',
      currency: 'USD',
      viewerTimeZone: 'America/New_York',
      now: winter,
    });
    expect(lines[0]).toBe(
      'Daily loss limit: $5,000.00 — your equity must stay above your balance at 12:00 AM Prague time (6:00 PM New York) minus $5,000.00. Crossing it ends the phase.',
    );
    expect(lines).toContain('Maximum loss: $10,000.00 — your equity must stay above $90,000.00.');
    expect(lines).toContain(
      'Profit target: $10,000.00 — reach a closed balance of $110,000.00. Close all positions to pass.',
    );
    expect(lines).toContain('Trade on at least 4 days.');
  });

  it('renders Spanish and Arabic with their own number formats and plurals', () => {
    const es = summarizePhaseRules(ftmo, { locale: 'es', initialBalance: '100000.00', currency: 'EUR', now: winter });
    expect(es[0]).toContain('Límite de pérdida diaria: 5000,00');
    expect(es).toContain('Opera al menos 4 días.');
    const ar = summarizePhaseRules(ftmo, { locale: 'ar', initialBalance: '100000.00', currency: 'USD', now: winter });
    expect(ar[0]).toMatch(/^حد الخسارة اليومية/);
    expect(ar.join(' ')).toContain('بتوقيت Prague');
  });

  it('explains a trailing max loss with its lock and a soft daily limit', () => {
    const apex = parsePhaseRules({
      dayReset: { timeZone: 'America/Chicago', localTime: '17:00' },
      dailyLoss: { amount: '1000.00', action: 'SOFT' },
      maxLoss: { amount: '2500.00', mode: 'TRAILING_INTRADAY', lockAt: '100.00' },
      profitTarget: { pct: '6' },
    });
    const lines = summarizePhaseRules(apex, { locale: 'en', initialBalance: '50000.00', currency: 'USD', now: winter });
    expect(lines[0]).toContain('pauses trading until the next reset');
    expect(lines[1]).toBe(
      'Maximum loss: $2,500.00 — your equity must stay above the highest balance or equity you reach minus $2,500.00. The limit stops rising once it reaches $50,100.00.',
    );
  });

  it.each([
    ['es', es],
    ['ar', ar],
  ])('the %s catalogue has exactly the English keys', (_locale, catalogue) => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
  });

  it('summarises every phase of every preset in every language without a missing message', () => {
    const errors: unknown[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((e) => errors.push(e));
    for (const preset of PLAN_PRESETS) {
      const content = preset.content as {
        phases: { rules: unknown }[];
        sizes: { balance: string; currency: string }[];
      };
      for (const phase of content.phases) {
        for (const locale of SUPPORTED_LOCALES) {
          const lines = summarizePhaseRules(parsePhaseRules(phase.rules), {
            locale,
            initialBalance: content.sizes[0]!.balance,
            currency: content.sizes[0]!.currency,
          });
          expect(lines.length).toBeGreaterThan(1);
          expect(lines.join(' ')).not.toMatch(/rules\.|\{|\}/);
        }
      }
    }
    spy.mockRestore();
    expect(errors).toEqual([]);
  });
});
