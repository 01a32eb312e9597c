import type { EntityManager } from '@mikro-orm/postgresql';
import { Brand } from '../brands/brand.entity';
import { isUuid } from '../common/ids';
import { brandScopedSql } from '../db/scoped-sql';
import type { FundedTerms } from '../plans/plan.model';
import { createPhaseState, type PhaseState } from '../rules/engine';
import { minorUnitDigits, parseMoney } from '../rules/money';
import type { PhaseRules } from '../rules/rules.schema';
import { explainOutcome, type RenderedExplanation } from './explanation';
import { type PayoutShareFigures, payoutShare } from './payout-share';

interface Row {
  brand_id: string;
  status: string;
  currency: string;
  initial_balance: string;
  rules: PhaseRules;
  engine_state: PhaseState | null;
  funded: FundedTerms | null;
  platform_account_id: string;
}

/**
 * Read-only views of one account computed from its engine snapshot: the explanation of how its
 * phase ended, and for a funded account the trader's share of its profit. Reads through the
 * viewer's brand scope; the root field already decided that the viewer may see the account.
 */
export class AccountInsights {
  constructor(private readonly em: EntityManager) {}

  async explanation(accountId: string, locale: string, timeZone: string | null): Promise<RenderedExplanation | null> {
    const row = await this.load(accountId);
    if (!row?.engine_state) return null;
    return explainOutcome({ status: row.status, state: row.engine_state, rules: row.rules }, locale, timeZone);
  }

  async payoutShare(accountId: string): Promise<PayoutShareFigures | null> {
    const row = await this.load(accountId);
    if (!row?.funded) return null;
    const digits = minorUnitDigits(row.currency);
    const state =
      row.engine_state ?? createPhaseState(row.rules, { initialBalance: row.initial_balance, currency: row.currency });
    // Payouts already made: balance operations of kind PAYOUT in the account's journal.
    const [paid] = await brandScopedSql<{ paid: string }>(
      this.em,
      [row.brand_id],
      `SELECT coalesce(sum(-(payload->>'amount')::numeric), 0)::text AS paid FROM platform_event
        WHERE account_id = ? AND brand_id = ? AND type = 'balance' AND payload->>'kind' = 'PAYOUT'`,
      [row.platform_account_id, row.brand_id],
    );
    return payoutShare(
      row.funded.profitSplit,
      state.balance - state.limits.initial,
      parseMoney(Number(paid!.paid).toFixed(digits), digits),
      row.currency,
      digits,
    );
  }

  private async load(accountId: string): Promise<Row | undefined> {
    if (!isUuid(accountId)) return undefined;
    const brandIds = (await this.em.find(Brand, {}, { fields: ['id'] })).map((b) => b.id);
    if (brandIds.length === 0) return undefined;
    const [row] = await brandScopedSql<Row>(
      this.em,
      brandIds,
      `SELECT c.brand_id, c.status, c.currency, c.initial_balance::text AS initial_balance, c.rules, c.engine_state,
              c.platform_account_id,
              CASE WHEN v.content->'phases'->c.phase_index->>'kind' = 'FUNDED'
                   THEN v.content->'phases'->c.phase_index->'funded' END AS funded
         FROM challenge_account c JOIN plan_version v ON v.id = c.plan_version_id
        WHERE c.id = ? AND c.brand_id = ANY(?::uuid[])`,
      [accountId, `{${brandIds.join(',')}}`],
    );
    return row;
  }
}
