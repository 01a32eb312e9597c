import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '../auth/passwords';
import { Brand } from '../brands/brand.entity';
import { Trader } from './trader.entity';

/** Each demo brand's trader who can sign in to the portal (trader@atlas.test, trader@sahara.test). */
export const DEMO_TRADER_PASSWORD = 'brokerdeck-demo';
export const demoTraderEmail = (brandSlug: string) => `trader@${brandSlug}.test`;

const DEMO_TRADER_NAMES: Record<string, string> = { atlas: 'Alex Morgan', sahara: 'Layla Haddad' };

/** Seeds one verified demo trader per brand (the seed runs only on an empty database). */
export async function seedDemoTraders(em: EntityManager): Promise<void> {
  const passwordHash = await hashPassword(DEMO_TRADER_PASSWORD);
  for (const brand of await em.find(Brand, {}, { orderBy: { createdAt: 'asc' } })) {
    const email = demoTraderEmail(brand.slug);
    if ((await em.count(Trader, { brandId: brand.id, email })) > 0) continue;
    em.create(Trader, {
      brandId: brand.id,
      email,
      name: DEMO_TRADER_NAMES[brand.slug] ?? `${brand.name} Demo Trader`,
      passwordHash,
      emailVerifiedAt: new Date(),
    });
  }
  await em.flush();
}

/** The brand's demo trader, if the seed made one: the first simulated account of each demo run is theirs. */
export async function demoTraderId(em: EntityManager, brandId: string): Promise<string | undefined> {
  const brand = await em.findOne(Brand, { id: brandId }, { fields: ['slug'] });
  if (!brand) return undefined;
  return (await em.findOne(Trader, { brandId, email: demoTraderEmail(brand.slug) }, { fields: ['id'] }))?.id;
}
