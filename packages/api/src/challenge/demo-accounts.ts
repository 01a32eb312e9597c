import type { MikroORM } from '@mikro-orm/postgresql';
import { systemScope } from '../db/tenancy';
import type { Logger } from '../logger';
import { PlanVersion } from '../plans/plan.entity';
import type { PlatformRegistry } from '../platform/registry';
import { demoTraderId } from '../traders/seed-traders';
import { ChallengeService } from './challenge.service';

/** The simulator opens its traders' accounts with this balance (see DEFAULT_TRADER_ACCOUNT). */
const SIMULATED_BALANCE = '100000.00';

/**
 * Gives each simulated trader of the demo a challenge account, round-robin over the brand's
 * published plans that sell a 100,000 USD account, so the demo shows every kind of rule at work.
 */
export async function attachDemoAccounts(
  orm: MikroORM,
  registry: PlatformRegistry,
  platformId: string,
  brandId: string,
  logins: string[],
  log: Logger,
) {
  const em = systemScope(orm.em, 'demo: challenge accounts for simulated traders', [brandId]);
  const versions = await em.find(PlanVersion, { brandId, status: 'PUBLISHED' }, { orderBy: { createdAt: 'asc' } });
  const offers = versions.flatMap((v) =>
    v.content.sizes
      .filter((s) => s.balance === SIMULATED_BALANCE && s.currency === 'USD')
      .map((s) => ({ planId: v.planId, sizeId: s.id })),
  );
  if (offers.length === 0) {
    log.warn({ brandId }, 'no published plan sells a 100,000 USD account: demo traders get no challenge account');
    return;
  }
  const challenges = new ChallengeService(em, registry);
  // The first account of each run belongs to the brand's demo trader, who can watch it on the portal.
  const portalTrader = await demoTraderId(em, brandId);
  for (const [i, login] of logins.entries()) {
    const offer = offers[i % offers.length]!;
    const owner = i === 0 ? portalTrader : undefined;
    await challenges.attachDemoAccount(brandId, platformId, login, Number(login), offer.planId, offer.sizeId, owner);
  }
}
