import type { PlatformEvent } from '../platform';

/**
 * Checks one event as a bridge sent it (the golden event shape plus eventId, login, and the
 * position and quote types). Pure: the caller supplies the platform's clock.
 */
export type ItemErrorCode = 'MALFORMED' | 'UNKNOWN_ACCOUNT' | 'FUTURE' | 'OUT_OF_ORDER';

export interface ItemError {
  index: number;
  eventId: string | null;
  code: ItemErrorCode;
  message: string;
}

/** How far ahead of the platform's own clock an event may be stamped (clock skew, batching). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

const DECIMAL = /^-?\d{1,15}(\.\d{1,10})?$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const DECIMALS: Record<PlatformEvent['type'], string[]> = {
  deal: ['volume', 'price', 'profit', 'commission', 'swap'],
  equity: ['equity'],
  balance: ['amount'],
  position: ['volume', 'openPrice', 'currentPrice', 'profit'],
  quote: ['bid', 'ask'],
  dealCorrection: ['profit', 'commission', 'swap'],
  dealCancel: [],
};
const OPTIONAL_DECIMALS: Record<string, string[]> = {
  deal: ['equity'],
  equity: ['margin', 'balance'],
  dealCorrection: ['equity'],
};
const TEXT: Record<PlatformEvent['type'], string[]> = {
  deal: ['login', 'id', 'position', 'symbol'],
  equity: ['login'],
  balance: ['login'],
  position: ['login', 'position', 'symbol'],
  quote: ['symbol'],
  dealCorrection: ['login', 'dealId'],
  dealCancel: ['login', 'dealId'],
};

export type CheckedEvent =
  | { ok: true; event: PlatformEvent; at: number }
  | { ok: false; error: Omit<ItemError, 'index'> };

export function checkWireEvent(raw: unknown, platformNow: number): CheckedEvent {
  const fail = (message: string, code: ItemErrorCode = 'MALFORMED'): CheckedEvent => ({
    ok: false,
    error: { eventId: eventIdOf(raw), code, message },
  });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('an event must be a JSON object');
  const e = raw as Record<string, unknown>;
  if (typeof e.eventId !== 'string' || e.eventId.length === 0 || e.eventId.length > 200) {
    return fail('eventId must be a non-empty string of at most 200 characters');
  }
  const type = e.type as PlatformEvent['type'];
  if (!(type in DECIMALS)) return fail(`type must be one of ${Object.keys(DECIMALS).join(', ')}`);
  if (typeof e.at !== 'string' || !ISO_INSTANT.test(e.at) || Number.isNaN(Date.parse(e.at))) {
    return fail('at must be an ISO 8601 instant with a zone, e.g. 2025-03-03T08:00:00Z');
  }
  const at = Date.parse(e.at);
  for (const field of TEXT[type]) {
    if (typeof e[field] !== 'string' || (e[field] as string).length === 0) return fail(`${field} is required`);
  }
  for (const field of DECIMALS[type]) {
    if (typeof e[field] !== 'string' || !DECIMAL.test(e[field] as string))
      return fail(`${field} must be a decimal string`);
  }
  for (const field of OPTIONAL_DECIMALS[type] ?? []) {
    if (
      e[field] !== undefined &&
      e[field] !== null &&
      (typeof e[field] !== 'string' || !DECIMAL.test(e[field] as string))
    ) {
      return fail(`${field} must be a decimal string`);
    }
  }
  if (type === 'deal' && e.entry !== 'in' && e.entry !== 'out') return fail('entry must be "in" or "out"');
  if ((type === 'deal' || type === 'position') && e.side !== 'buy' && e.side !== 'sell')
    return fail('side must be "buy" or "sell"');
  if (type === 'balance' && !['DEPOSIT', 'WITHDRAWAL', 'CORRECTION', 'PAYOUT'].includes(e.kind as string)) {
    return fail('kind must be DEPOSIT, WITHDRAWAL, CORRECTION or PAYOUT');
  }
  if (at > platformNow + FUTURE_TOLERANCE_MS) {
    return fail(`at ${e.at} is ahead of the platform clock (${new Date(platformNow).toISOString()})`, 'FUTURE');
  }
  return { ok: true, event: e as unknown as PlatformEvent, at };
}

function eventIdOf(raw: unknown): string | null {
  const id = (raw as { eventId?: unknown } | null)?.eventId;
  return typeof id === 'string' ? id.slice(0, 200) : null;
}
