import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { StaffGrant, StaffUser } from '../auth/auth.entity';
import { hashPassword } from '../auth/passwords';
import { Brand } from '../brands/brand.entity';
import { BrandService, createBrandInput } from '../brands/brand.service';
import type { EventPubSub } from '../events/pubsub';
import { PlanService } from '../plans/plan.service';
import { PlatformConnectionRow } from '../platform/platform.entity';
import { seedDemoTraders } from '../traders/seed-traders';

/** Two demo brands that differ in everything a brand can differ in, each with published plans from presets. */
export const DEMO_BRANDS = [
  {
    name: 'Atlas Funded',
    slug: 'atlas',
    logoUrl: null,
    colors: { primary: '#1c5bd6', accent: '#f59f00' },
    locales: ['en', 'es', 'ar'],
    defaultLocale: 'en',
    currency: 'USD',
    timeZone: 'Europe/Prague',
    hosts: ['atlas.localhost'],
    presets: ['ftmo-2-step', 'the5ers-high-stakes', 'apex-intraday-1-step', 'instant-funding'],
  },
  {
    name: 'Sahara Markets',
    slug: 'sahara',
    logoUrl: null,
    colors: { primary: '#0b7a53', accent: '#c2255c' },
    locales: ['ar', 'en'],
    defaultLocale: 'ar',
    currency: 'AED',
    timeZone: 'Asia/Dubai',
    hosts: ['sahara.localhost'],
    presets: ['ftmo-2-step', 'topstep-eod-1-step', 'instant-funding'],
  },
];

export interface SeedResult {
  seeded: boolean;
  ownerEmail: string;
}

/**
 * Fills an empty database with the demo: brands and an owner login. A database that already has
 * brands is left untouched, so restarts keep whatever staff changed.
 */
export async function seedDemo(
  em: EntityManager,
  pubsub: EventPubSub,
  uploadsDir: string,
  owner: { email: string; password: string },
): Promise<SeedResult> {
  const ownerEmail = owner.email.toLowerCase();
  if ((await em.count(Brand, {})) > 0) return { seeded: false, ownerEmail };
  const brands = new BrandService(em, pubsub, uploadsDir);
  const plans = new PlanService(em, pubsub);
  for (const { presets, ...brand } of DEMO_BRANDS) {
    const created = await brands.create(createBrandInput(brand));
    for (const presetId of presets) {
      const plan = await plans.createFromPreset(created.id, presetId);
      await plans.publish(plan.id);
    }
    em.create(PlatformConnectionRow, {
      id: randomUUID(),
      brandId: created.id,
      kind: 'SIMULATOR',
      name: 'Demo simulator',
      server: 'Brokerdeck-Sim',
    });
  }
  await em.flush();
  await seedDemoTraders(em);
  if ((await em.count(StaffUser, { email: ownerEmail })) === 0) {
    const staff = em.create(StaffUser, {
      email: ownerEmail,
      name: 'Demo Owner',
      passwordHash: await hashPassword(owner.password),
    });
    em.create(StaffGrant, { staff, brandId: null, role: 'OWNER' });
    await em.flush();
  }
  return { seeded: true, ownerEmail };
}
