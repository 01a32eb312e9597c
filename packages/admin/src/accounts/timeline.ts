import type { Translate } from '../i18n/LocaleProvider';
import type { MessageId } from '../i18n/locales';
import { formatDateTime, formatMoney } from '../plans/format';
import { isolate } from '../ui/format';
import { type ExplainContext, explainTransition, ruleLabel } from './explain';
import { isAccountStatus } from './usage';
import type { FeedEvent } from './feed';
import { isStaffAction, type StaffAction } from './staff-actions';

/** One audited change of the account, as the audit trail returns it (values are JSON). */
export interface AuditEntryLike {
  at: string;
  actor?: string | null;
  operation: string;
  changes: readonly { field: string; before?: string | null; after?: string | null }[];
}

/** Who did a staff action, why, and (for an extension) by how many days. */
export interface StaffDetail {
  action: StaffAction;
  actor: string | null;
  reason: string | null;
  days: number | null;
}

/** A platform's correction or cancellation of a deal, from its audit entry. */
export interface CorrectionDetail {
  action: 'CORRECT' | 'CANCEL';
  dealId: string | null;
  balanceBefore: string | null;
  balanceAfter: string | null;
  /** The account's status before and after, when the correction changed it (a pass withdrawn). */
  statusBefore: string | null;
  statusAfter: string | null;
}

/**
 * A timeline transition as `challengeTimeline` answers it: a correction that took the pass of an
 * account that had already advanced needs staff review (the pass stands meanwhile); `reviewOutcome`
 * is the status the rebuilt account would have, `reviewResolution` staff's decision once made.
 */
export interface TimelineTransition extends FeedEvent {
  id?: string | null;
  reviewRequired?: boolean;
  reviewOutcome?: string | null;
  reviewResolution?: {
    decision: string;
    reason: string;
    actor?: string | null;
  } | null;
}

/** What the timeline shows for a transition: kinds of its own for staff actions and corrections. */
export type TimelineKind =
  | 'BREACH'
  | 'SOFT_BREACH'
  | 'PASS'
  | 'WARNING'
  | 'MANUAL_FAIL'
  | 'MANUAL_PASS'
  | 'EXTEND'
  | 'REINSTATE'
  | 'CLOSE'
  | 'RESET'
  | 'CORRECTION'
  | 'OTHER';

export interface TimelineEntry {
  key: string;
  kind: TimelineKind;
  transition: TimelineTransition;
  staff: StaffDetail | null;
  correction: CorrectionDetail | null;
}

const json = (value: string | null | undefined): unknown => {
  if (value == null) return null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

const afterOf = (entry: AuditEntryLike, field: string) => json(entry.changes.find((c) => c.field === field)?.after);
const beforeOf = (entry: AuditEntryLike, field: string) => json(entry.changes.find((c) => c.field === field)?.before);
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

/** The staff action an audit entry records, or null. */
export function staffDetailOf(entry: AuditEntryLike): StaffDetail | null {
  const action = afterOf(entry, 'action');
  if (typeof action !== 'string' || !isStaffAction(action)) return null;
  const days = afterOf(entry, 'days');
  return {
    action,
    actor: entry.actor ?? null,
    reason: text(afterOf(entry, 'reason')),
    days: typeof days === 'number' ? days : null,
  };
}

export function correctionDetailOf(entry: AuditEntryLike): CorrectionDetail | null {
  if (entry.operation !== 'correctDeal' && entry.operation !== 'cancelDeal') return null;
  return {
    action: entry.operation === 'cancelDeal' ? 'CANCEL' : 'CORRECT',
    dealId: text(afterOf(entry, 'dealId')),
    balanceBefore: text(beforeOf(entry, 'balance')),
    balanceAfter: text(afterOf(entry, 'balance')),
    statusBefore: text(beforeOf(entry, 'status')),
    statusAfter: text(afterOf(entry, 'status')),
  };
}

/** The journal transition a staff action produces (RESET closes the attempt; FAIL is a MANUAL breach). */
const TRANSITION_OF: Record<StaffAction, string> = {
  EXTEND: 'EXTEND',
  REINSTATE: 'REINSTATE',
  PASS: 'PASS',
  FAIL: 'BREACH:MANUAL',
  CLOSE: 'CLOSE',
  RESET: 'CLOSE',
};

const slotOf = (t: FeedEvent) => (t.kind === 'BREACH' && t.rule === 'MANUAL' ? 'BREACH:MANUAL' : t.kind);

/**
 * The account's transitions with who did each staff action and why, and what each correction
 * changed. The timeline does not name the action behind a transition, so each kind of staff action
 * is matched to its transitions in order (every accepted action is audited once and recorded once;
 * a repeated action id does neither again). `audit` is null for a reader who may not see the audit
 * trail: the entries then show what the timeline alone says.
 */
export function timelineEntries(
  transitions: readonly TimelineTransition[],
  audit: readonly AuditEntryLike[] | null,
): TimelineEntry[] {
  const oldestFirst = [...(audit ?? [])].sort((a, b) => a.at.localeCompare(b.at));
  const staffQueues = new Map<string, StaffDetail[]>();
  const corrections: CorrectionDetail[] = [];
  for (const entry of oldestFirst) {
    const staff = staffDetailOf(entry);
    if (staff) {
      const slot = TRANSITION_OF[staff.action];
      staffQueues.set(slot, [...(staffQueues.get(slot) ?? []), staff]);
      continue;
    }
    const correction = correctionDetailOf(entry);
    if (correction) corrections.push(correction);
  }

  return [...transitions]
    .sort((a, b) => a.seq - b.seq)
    .map((transition) => {
      const key = `${transition.kind}:${transition.seq}:${transition.at}`;
      if (transition.kind === 'CORRECTION') {
        return { key, kind: 'CORRECTION', transition, staff: null, correction: corrections.shift() ?? null };
      }
      const slot = slotOf(transition);
      const staff = staffQueues.get(slot)?.shift() ?? null;
      return { key, kind: kindOf(transition, staff), transition, staff, correction: null };
    });
}

function kindOf(transition: FeedEvent, staff: StaffDetail | null): TimelineKind {
  switch (transition.kind) {
    case 'BREACH':
      return transition.rule === 'MANUAL' ? 'MANUAL_FAIL' : 'BREACH';
    case 'PASS':
      return staff ? 'MANUAL_PASS' : 'PASS';
    case 'CLOSE':
      return staff?.action === 'RESET' ? 'RESET' : 'CLOSE';
    case 'SOFT_BREACH':
    case 'WARNING':
    case 'EXTEND':
    case 'REINSTATE':
      return transition.kind;
    default:
      return 'OTHER';
  }
}

/** Staff actions and corrections look different from the engine's own breaches and passes. */
export const TIMELINE_COLORS: Record<TimelineKind, string> = {
  BREACH: 'red',
  SOFT_BREACH: 'orange',
  PASS: 'green',
  WARNING: 'yellow',
  MANUAL_FAIL: 'red',
  MANUAL_PASS: 'green',
  EXTEND: 'indigo',
  REINSTATE: 'teal',
  CLOSE: 'gray',
  RESET: 'violet',
  CORRECTION: 'cyan',
  OTHER: 'gray',
};

const STAFF_TITLES: Partial<Record<TimelineKind, MessageId>> = {
  MANUAL_FAIL: 'timeline.staff.fail',
  MANUAL_PASS: 'timeline.staff.pass',
  EXTEND: 'timeline.staff.extend',
  REINSTATE: 'timeline.staff.reinstate',
  CLOSE: 'timeline.staff.close',
  RESET: 'timeline.staff.reset',
};

export interface TimelineText {
  title: string;
  /** What happened, in a sentence. */
  body: string;
  /** Labelled details: who, why, how many days; the deal and the balance for a correction. */
  details: { id: 'actor' | 'reason' | 'days' | 'deal' | 'balance'; text: string }[];
  color: string;
  /** Whether staff did it (a staff bullet) or the platform corrected a deal (a correction bullet). */
  source: 'engine' | 'staff' | 'correction';
  /** A correction staff must review: the pass it took away stands because the account advanced. */
  needsReview?: boolean;
  /** Such a correction once reviewed: the decision, who made it and why, in a sentence. */
  reviewed?: { decision: string; text: string };
}

const statusLabel = (t: Translate, status: string) =>
  isAccountStatus(status) ? t(`accounts.status.${status}`) : status;

/** A timeline entry in words, in the reader's language; amounts in the account currency. */
export function describeEntry(t: Translate, entry: TimelineEntry, context: ExplainContext): TimelineText {
  const { locale, currency, timeZone } = context;
  const { transition, staff, correction } = entry;
  const time = isolate(formatDateTime(transition.at, locale, timeZone), locale);
  const color = TIMELINE_COLORS[entry.kind];

  if (entry.kind === 'CORRECTION') {
    const details: TimelineText['details'] = [];
    if (correction?.dealId)
      details.push({ id: 'deal', text: t('timeline.correction.deal', { deal: isolate(correction.dealId, locale) }) });
    if (correction?.balanceBefore && correction.balanceAfter) {
      const money = (v: string) => isolate(formatMoney(v, currency, locale, true), locale);
      details.push({
        id: 'balance',
        text: t('timeline.correction.balance', {
          before: money(correction.balanceBefore),
          after: money(correction.balanceAfter),
        }),
      });
    }
    const title = t(
      correction?.action === 'CANCEL' ? 'timeline.correction.cancelled' : 'timeline.correction.corrected',
    );
    if (transition.reviewRequired) {
      const resolution = transition.reviewResolution;
      const body = t('timeline.correction.reviewBody', {
        time,
        status: statusLabel(t, transition.reviewOutcome ?? ''),
      });
      if (!resolution) return { title, body, details, color: 'orange', source: 'correction', needsReview: true };
      const revoked = resolution.decision === 'REVOKE_PASS';
      const values = {
        email: isolate(resolution.actor ?? '—', locale),
        reason: isolate(resolution.reason, locale),
      };
      return {
        title,
        body,
        details,
        color: revoked ? 'red' : 'teal',
        source: 'correction',
        reviewed: {
          decision: resolution.decision,
          text: t(revoked ? 'timeline.correction.reviewedRevoked' : 'timeline.correction.reviewedKept', values),
        },
      };
    }
    let body = t('timeline.correction.body', { time });
    if (transition.rule) body = t('timeline.correction.withdrawn', { rule: ruleLabel(t, transition.rule), time });
    else if (correction?.statusBefore === 'PASSED' && correction.statusAfter)
      body = t('timeline.correction.passWithdrawn', { time, status: statusLabel(t, correction.statusAfter) });
    return { title, body, details, color, source: 'correction' };
  }

  const title = STAFF_TITLES[entry.kind];
  if (!title) {
    const text = explainTransition(t, transition, context);
    return { title: text.title, body: text.body, details: [], color, source: 'engine' };
  }
  const details: TimelineText['details'] = [];
  if (staff?.actor)
    details.push({ id: 'actor', text: t('timeline.staff.by', { email: isolate(staff.actor, locale) }) });
  if (staff?.days != null) details.push({ id: 'days', text: t('timeline.staff.days', { days: staff.days }) });
  if (staff?.reason)
    details.push({ id: 'reason', text: t('timeline.staff.reason', { reason: isolate(staff.reason, locale) }) });
  const body =
    entry.kind === 'REINSTATE' && transition.rule
      ? t('timeline.staff.reinstateBody', { rule: ruleLabel(t, transition.rule), time })
      : t('timeline.staff.when', { time });
  return { title: t(title), body, details, color, source: 'staff' };
}
