import type { ProfitSplitTier } from '../plans/plan.model';
import { applyRatio, formatMoney, parseMoney, percent } from '../rules/money';

/** One split tier as it applies to this profit. Amounts are decimal strings in the account currency. */
export interface PayoutTierPart {
  /** Cumulative paid profit up to which this tier applies; null: everything above. */
  upTo: string | null;
  pct: string;
  /** The part of this profit that falls in the tier, and the trader's share of it. */
  profit: string;
  trader: string;
}

export interface PayoutShareFigures {
  currency: string;
  /** B − I now (0 when not above the initial balance). */
  profit: string;
  /** Profit paid out before (cumulative): where in the tiers this profit starts. */
  paidBefore: string;
  trader: string;
  firm: string;
  /** The tiers this profit falls in, in order (the last one is the tier applied at the margin). */
  tiers: PayoutTierPart[];
}

/**
 * The trader's share of a funded account's profit (rules.md "Funded accounts and payouts"): the
 * split tiers apply to cumulative paid profit, so this profit is split starting where the profit
 * paid before ends (e.g. 100 % of the first 25,000 then 90 %). Exact in minor units; each tier's
 * share rounds down to the minor unit (the firm keeps the remainder).
 */
export function payoutShare(
  tiers: readonly ProfitSplitTier[],
  profitMinor: number,
  paidBeforeMinor: number,
  currency: string,
  digits: number,
): PayoutShareFigures {
  const money = (minor: number) => formatMoney(minor, digits);
  const profit = Math.max(profitMinor, 0);
  let cursor = Math.max(paidBeforeMinor, 0);
  let left = profit;
  let trader = 0;
  const parts: PayoutTierPart[] = [];
  for (const tier of tiers) {
    if (left <= 0) break;
    const ceiling = tier.upTo === null ? Number.POSITIVE_INFINITY : parseMoney(tier.upTo, digits);
    if (cursor >= ceiling) continue;
    const inTier = Math.min(left, ceiling - cursor);
    const share = applyRatio(inTier, percent(tier.pct), 'FLOOR');
    parts.push({ upTo: tier.upTo, pct: tier.pct, profit: money(inTier), trader: money(share) });
    trader += share;
    cursor += inTier;
    left -= inTier;
  }
  return {
    currency,
    profit: money(profit),
    paidBefore: money(Math.max(paidBeforeMinor, 0)),
    trader: money(trader),
    firm: money(profit - trader),
    tiers: parts,
  };
}
