import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl';
import { DateTime } from 'luxon';
import { isIanaTimeZone, isSupportedLocale, type SupportedLocale } from '../common/locales';
import type { PhaseState } from '../rules/engine';
import { formatMoney } from '../rules/money';
import type { PhaseRules } from '../rules/rules.schema';
import ar from './i18n/ar.json';
import en from './i18n/en.json';
import es from './i18n/es.json';

/**
 * Why a phase ended, in the reader's language, rendered once here for the admin console and the
 * portal alike: amounts in the account currency, times in the phase's reset zone and, when it
 * differs, the reader's own ("your equity 94,999.99 fell below the daily floor 95,000.00, set at
 * 00:00 Prague time from the balance 100,000.00 minus 5 % of 100,000.00"). Built from the engine's
 * snapshot, which keeps the figures of the transition.
 */
const catalogues: Record<SupportedLocale, Record<string, string>> = { en, es, ar };
const cache = createIntlCache();
const intls = new Map<SupportedLocale, IntlShape>();

function intlFor(locale: SupportedLocale): IntlShape {
  let intl = intls.get(locale);
  if (!intl) {
    intl = createIntl({ locale, messages: catalogues[locale], defaultLocale: 'en' }, cache);
    intls.set(locale, intl);
  }
  return intl;
}

export interface ExplanationInput {
  status: string;
  state: PhaseState;
  rules: PhaseRules;
  /** The reason staff gave (manual pass, fail or close), when the engine's record has none. */
  reason?: string | null;
}

export interface RenderedExplanation {
  kind: 'BREACH' | 'PASS' | 'CLOSED';
  rule: string | null;
  at: string;
  title: string;
  text: string;
}

const city = (zone: string) => zone.split('/').pop()!.replaceAll('_', ' ');

export function explainOutcome(
  input: ExplanationInput,
  localeRequested: string,
  viewerTimeZone?: string | null,
): RenderedExplanation | null {
  const locale: SupportedLocale = isSupportedLocale(localeRequested) ? localeRequested : 'en';
  const intl = intlFor(locale);
  const t = (id: string, values?: Record<string, string | number>) => intl.formatMessage({ id }, values);
  const { state, rules } = input;
  const { limits } = state;
  const digits = limits.digits;
  const money = (value: string | number) =>
    intl.formatNumber(Number(typeof value === 'number' ? formatMoney(value, digits) : value), {
      style: 'currency',
      currency: limits.currency,
    });
  const zone = rules.dayReset.timeZone;
  const viewer = viewerTimeZone && isIanaTimeZone(viewerTimeZone) ? viewerTimeZone : null;
  const when = (iso: string) => {
    const at = DateTime.fromISO(iso, { zone }).setLocale(locale);
    const date = at.toLocaleString(DateTime.DATETIME_MED);
    if (!viewer || viewer === zone) return t('when', { date, city: city(zone) });
    const localDate = at.setZone(viewer).toLocaleString(DateTime.DATETIME_MED);
    if (localDate === date) return t('when', { date, city: city(zone) });
    return t('whenWithLocal', { date, city: city(zone), localDate });
  };
  const reason = (text: string | null | undefined) => text || input.reason || t('noReason');
  const crossed = t('crossed', { comparison: rules.breachComparison });
  const initial = money(limits.initial);

  if (state.status === 'CLOSED' && state.closed) {
    const closed = state.closed;
    return {
      kind: 'CLOSED',
      rule: null,
      at: closed.at,
      title: t('title.CLOSED'),
      text: t('closed', { when: when(closed.at), reason: reason(closed.reason) }),
    };
  }
  if (state.status === 'PASSED' && state.pass) {
    const pass = state.pass;
    const target = limits.profitTarget;
    const text = pass.manual
      ? t('pass.manual', { when: when(pass.at), reason: reason(pass.manual.reason) })
      : t('pass', {
          when: when(pass.at),
          measure: target?.onEquity ? 'EQUITY' : 'BALANCE',
          amount: money(target?.onEquity ? state.equity : state.balance),
          target: money(target?.amount ?? 0),
          days: state.tradingDays,
        });
    return { kind: 'PASS', rule: null, at: pass.at, title: t('title.PASS'), text };
  }
  if (state.status !== 'BREACHED' || !state.breach) return null;
  const breach = state.breach;
  const title = t('title.BREACH', { rule: t(`rule.${breach.rule}`) });
  let text: string;
  switch (breach.rule) {
    case 'DAILY_LOSS': {
      const rule = rules.dailyLoss!;
      const base =
        rule.reference === 'BALANCE'
          ? state.dayBalance
          : rule.reference === 'MAX_BALANCE_EQUITY'
            ? Math.max(state.dayBalance, state.dayEquity)
            : state.dayHigh;
      const allowance =
        rule.amount !== null
          ? t('allowance.amount', { amount: money(rule.amount) })
          : rule.of === 'REFERENCE'
            ? t('allowance.pctOfBase', { pct: intl.formatNumber(Number(rule.pct)) })
            : t('allowance.pctOfInitial', { pct: intl.formatNumber(Number(rule.pct)), initial });
      const [hour, minute] = rules.dayReset.localTime.split(':').map(Number) as [number, number];
      const resetTime = DateTime.fromISO(breach.at, { zone })
        .set({ hour, minute, second: 0, millisecond: 0 })
        .setLocale(locale)
        .toLocaleString(DateTime.TIME_SIMPLE);
      text = t('breach.DAILY_LOSS', {
        equity: money(breach.equity),
        crossed,
        floor: money(breach.floor),
        when: when(breach.at),
        reset: t('when', { date: resetTime, city: city(zone) }),
        base: t(`base.${rule.reference}`),
        baseAmount: money(base),
        allowance,
      });
      break;
    }
    case 'MAX_LOSS': {
      const limit = limits.maxLoss!;
      const allowance = money(limit.allowance);
      const common = { equity: money(breach.equity), crossed, floor: money(breach.floor), when: when(breach.at) };
      if (limit.mode === 'STATIC') text = t('breach.MAX_LOSS.STATIC', { ...common, initial, allowance });
      else if (limit.lockFloor !== null && state.maxLossFloor === limit.lockFloor)
        text = t('breach.MAX_LOSS.locked', common);
      else
        text = t('breach.MAX_LOSS.trailing', {
          ...common,
          peakName: t(`peak.${limit.mode}`),
          peak: money(state.peak),
          allowance,
        });
      break;
    }
    case 'MAX_LOSS_PER_TRADE':
      text = t('breach.MAX_LOSS_PER_TRADE', {
        position: breach.position,
        result: money(breach.result),
        limit: money(breach.limit),
        when: when(breach.at),
      });
      break;
    case 'TIME_LIMIT':
      text = t('breach.TIME_LIMIT', { when: when(breach.at) });
      break;
    case 'INACTIVITY':
      text = t('breach.INACTIVITY', { days: limits.maxInactiveDays ?? 0, when: when(breach.at) });
      break;
    case 'MANUAL':
      text = t('breach.MANUAL', { when: when(breach.at), reason: reason(breach.reason) });
      break;
  }
  return { kind: 'BREACH', rule: breach.rule, at: breach.at, title, text };
}
