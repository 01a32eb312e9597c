import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl';
import { DateTime } from 'luxon';
import type { SupportedLocale } from '../common/locales';
import ar from '../i18n/ar.json';
import en from '../i18n/en.json';
import es from '../i18n/es.json';
import { applyRatio, formatMoney, minorUnitDigits, parseMoney, percent } from '../rules/money';
import type { PhaseRules } from '../rules/rules.schema';

/**
 * A phase's rules as short sentences a trader reads, in their language, with amounts in the
 * account currency and reset times in the phase's zone and the trader's own. The admin preview and
 * the portal both show exactly these words (rendered here, once).
 */
const catalogues: Record<SupportedLocale, Record<string, string>> = { en, es, ar };
const cache = createIntlCache();
const intls = new Map<string, IntlShape>();

function intlFor(locale: SupportedLocale): IntlShape {
  let intl = intls.get(locale);
  if (!intl) {
    intl = createIntl({ locale, messages: catalogues[locale], defaultLocale: 'en' }, cache);
    intls.set(locale, intl);
  }
  return intl;
}

export interface SummaryContext {
  locale: SupportedLocale;
  /** The account size the amounts are for. */
  initialBalance: string;
  currency: string;
  /** Where the trader is; reset times are also shown in this zone when it differs. */
  viewerTimeZone?: string | null;
  /** Used to pick the reset's current offset; the caller's clock (a platform clock in the engine). */
  now?: Date;
}

const city = (zone: string) => zone.split('/').pop()!.replaceAll('_', ' ');

export function summarizePhaseRules(rules: PhaseRules, context: SummaryContext): string[] {
  const intl = intlFor(context.locale);
  const t = (id: string, values?: Record<string, string | number>) => intl.formatMessage({ id }, values);
  const digits = minorUnitDigits(context.currency);
  const initial = parseMoney(context.initialBalance, digits);
  const money = (minor: number) =>
    intl.formatNumber(Number(formatMoney(minor, digits)), { style: 'currency', currency: context.currency });
  const pctOfInitial = (pct: string) => applyRatio(initial, percent(pct), 'HALF_UP');
  const allowanceOf = (rule: { pct: string | null; amount: string | null }) =>
    rule.amount !== null ? parseMoney(rule.amount, digits) : pctOfInitial(rule.pct!);
  const pctText = (pct: string) => intl.formatNumber(Number(pct), { maximumFractionDigits: 4 });

  const reset = resetText(rules, context, t);
  const lines: string[] = [];
  const { dailyLoss, maxLoss, maxLossPerTrade, profitTarget, consistency, minProfitableDays } = rules;

  if (dailyLoss) {
    let sentence: string;
    if (dailyLoss.reference === 'DAY_HIGH') {
      sentence = t('rules.dailyLoss.dayHigh', { allowance: money(allowanceOf(dailyLoss)), reset });
    } else if (dailyLoss.amount === null && dailyLoss.of === 'REFERENCE') {
      const keep = 100 - Number(dailyLoss.pct);
      sentence = t('rules.dailyLoss.pctOfBase', {
        pct: pctText(dailyLoss.pct!),
        keep: pctText(String(keep)),
        base: t(`rules.base.${dailyLoss.reference}`),
        reset,
      });
    } else {
      sentence = t('rules.dailyLoss.fixedBase', {
        allowance: money(allowanceOf(dailyLoss)),
        base: t(`rules.base.${dailyLoss.reference}`),
        reset,
      });
    }
    lines.push(`${sentence} ${t(dailyLoss.action === 'SOFT' ? 'rules.soft' : 'rules.hard')}`);
  }
  if (maxLoss) {
    const allowance = allowanceOf(maxLoss);
    let sentence = t(`rules.maxLoss.${maxLoss.mode}`, {
      allowance: money(allowance),
      floor: money(initial - allowance),
    });
    if (maxLoss.lockAt !== null && maxLoss.mode !== 'STATIC') {
      sentence += ` ${t('rules.maxLoss.lock', { lock: money(initial + parseMoney(maxLoss.lockAt, digits)) })}`;
    }
    lines.push(sentence);
  }
  if (maxLossPerTrade) {
    const sentence = t('rules.maxLossPerTrade', { allowance: money(allowanceOf(maxLossPerTrade)) });
    lines.push(`${sentence} ${t(maxLossPerTrade.action === 'SOFT' ? 'rules.soft' : 'rules.hard')}`);
  }
  if (profitTarget) {
    const amount = pctOfInitial(profitTarget.pct);
    let sentence = t(`rules.profitTarget.${profitTarget.measure}`, {
      amount: money(amount),
      target: money(initial + amount),
    });
    if (profitTarget.requireFlat) sentence += ` ${t('rules.profitTarget.flat')}`;
    lines.push(sentence);
  } else {
    lines.push(t('rules.noTarget'));
  }
  if (rules.minTradingDays > 0) lines.push(t('rules.minTradingDays', { days: rules.minTradingDays }));
  if (rules.maxTradingDays !== null) lines.push(t('rules.maxTradingDays', { days: rules.maxTradingDays }));
  if (rules.maxDays !== null) lines.push(t('rules.maxDays', { days: rules.maxDays }));
  if (rules.maxInactiveDays !== null) lines.push(t('rules.maxInactiveDays', { days: rules.maxInactiveDays }));
  if (consistency) {
    const denominator = t(`rules.denominator.${consistency.denominator}`);
    lines.push(
      consistency.comparison === 'BELOW'
        ? t('rules.consistency.below', {
            unit: t(`rules.unit.${consistency.basis}`),
            pct: pctText(consistency.maxBestDayPct),
            denominator,
          })
        : t(`rules.consistency.${consistency.basis}`, { pct: pctText(consistency.maxBestDayPct), denominator }),
    );
  }
  if (minProfitableDays) {
    lines.push(
      t('rules.minProfitableDays', {
        count: minProfitableDays.count,
        amount: money(pctOfInitial(minProfitableDays.minPctOfInitial)),
      }),
    );
  }
  if (profitTarget && rules.passAt === 'NEXT_RESET') lines.push(t('rules.passAtReset'));
  return lines;
}

function resetText(
  rules: PhaseRules,
  context: SummaryContext,
  t: (id: string, v?: Record<string, string | number>) => string,
) {
  const { timeZone, localTime } = rules.dayReset;
  const [hour, minute] = localTime.split(':').map(Number) as [number, number];
  const now = DateTime.fromJSDate(context.now ?? new Date());
  const resetAt = now.setZone(timeZone).set({ hour, minute, second: 0, millisecond: 0 });
  const time = resetAt.setLocale(context.locale).toLocaleString(DateTime.TIME_SIMPLE);
  const viewer = context.viewerTimeZone;
  if (!viewer || viewer === timeZone) return t('rules.reset', { time, city: city(timeZone) });
  const local = resetAt.setZone(viewer).setLocale(context.locale).toLocaleString(DateTime.TIME_SIMPLE);
  if (local === time && resetAt.setZone(viewer).offset === resetAt.offset)
    return t('rules.reset', { time, city: city(timeZone) });
  return t('rules.resetWithLocal', { time, city: city(timeZone), localTime: local, localCity: city(viewer) });
}
