import type { Translate } from '../i18n/LocaleProvider';
import type { MessageId } from '../i18n/locales';
import { formatMoney, formatDateTime } from '../plans/format';
import { formatPercent, isolate } from '../ui/format';
import { FEED_COLORS, type FeedEvent, isFeedKind } from './feed';

export const RULES = ['DAILY_LOSS', 'MAX_LOSS', 'MAX_LOSS_PER_TRADE', 'TIME_LIMIT', 'INACTIVITY', 'MANUAL'] as const;
export type Rule = (typeof RULES)[number];
const isRule = (rule: string | null | undefined): rule is Rule =>
  (RULES as readonly (string | null | undefined)[]).includes(rule);

/** "Daily loss limit"; a rule the console does not know yet shows as the API names it. */
export function ruleLabel(t: Translate, rule: string | null | undefined): string {
  if (!rule) return '';
  return isRule(rule) ? t(`accounts.rule.${rule}`) : rule;
}

export interface ExplainContext {
  locale: string;
  /** The account's currency: floors and equity are in it. */
  currency: string;
  /** Where the time is shown (the brand's zone), named after it. */
  timeZone: string;
}

export interface Explanation {
  title: string;
  body: string;
  color: string;
}

/**
 * A transition in words: which rule, the floor, the equity observed and when — the breach
 * explanation staff read on the account page and in the feed.
 */
export function explainTransition(t: Translate, event: FeedEvent, context: ExplainContext): Explanation {
  const { locale, currency, timeZone } = context;
  const money = (amount: string | null | undefined) =>
    isolate(amount ? formatMoney(amount, currency, locale, true) : '—', locale);
  const values = {
    rule: ruleLabel(t, event.rule),
    time: isolate(formatDateTime(event.at, locale, timeZone), locale),
    floor: money(event.floor),
    equity: money(event.equity),
    used: isolate(formatPercent(event.threshold ?? null, locale, 0), locale),
  };
  const color = isFeedKind(event.kind) ? FEED_COLORS[event.kind] : 'gray';
  const soft = event.kind === 'SOFT_BREACH';
  const hasFloor = Boolean(event.floor && event.equity);
  let title: MessageId;
  let body: MessageId;
  switch (event.kind) {
    case 'PASS':
      title = 'explain.title.pass';
      body = 'explain.pass';
      break;
    case 'WARNING':
      title = 'explain.title.warning';
      body = hasFloor ? 'explain.warning' : 'explain.warningNoFigures';
      break;
    case 'BREACH':
    case 'SOFT_BREACH':
      title = soft ? 'explain.title.softBreach' : 'explain.title.breach';
      if (event.rule === 'MAX_LOSS_PER_TRADE') body = soft ? 'explain.softPerTrade' : 'explain.perTrade';
      else if (event.rule === 'TIME_LIMIT') body = 'explain.timeLimit';
      else if (event.rule === 'INACTIVITY') body = 'explain.inactivity';
      else if (hasFloor) body = soft ? 'explain.softFloor' : 'explain.floor';
      else body = 'explain.ended';
      break;
    default:
      title = 'explain.title.other';
      body = 'explain.ended';
  }
  return { title: t(title, values), body: t(body, values), color };
}
