import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { StaffGrant, type StaffRole, StaffUser } from '../auth/auth.entity';
import { hashPassword } from '../auth/passwords';
import { Brand } from '../brands/brand.entity';
import { DEV_SECRETS_KEY, SecretBox } from '../common/secrets';
import { BrandService, createBrandInput } from '../brands/brand.service';
import type { EventPubSub } from '../events/pubsub';
import { PlanService } from '../plans/plan.service';
import { PlatformConnectionRow } from '../platform/platform.entity';
import { seedDemoTraders } from '../traders/seed-traders';
import { seedRiskGroups } from '../risk/seed';

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

/**
 * The demo owner's TOTP secret, fixed and documented (README "Demo users") so that a person can add
 * it to an authenticator app; tests compute codes from it. Never use it outside the demo.
 */
export const DEMO_OWNER_TOTP_SECRET = 'BROKERDECKDEMOOWNERTOTPSECRET234';

/** One demo staff member per role (README "Demo users"); the owner holds every brand and has two-factor on. */
export const DEMO_STAFF: { email: string; name: string; grants: { brand: string | null; role: StaffRole }[] }[] = [
  { email: 'owner@brokerdeck.test', name: 'Demo Owner', grants: [{ brand: null, role: 'OWNER' }] },
  {
    email: 'admin@brokerdeck.test',
    name: 'Demo Admin',
    grants: [
      { brand: 'atlas', role: 'ADMIN' },
      { brand: 'sahara', role: 'ADMIN' },
    ],
  },
  {
    email: 'risk@brokerdeck.test',
    name: 'Demo Risk Manager',
    grants: [
      { brand: 'atlas', role: 'RISK_MANAGER' },
      { brand: 'sahara', role: 'READ_ONLY' },
    ],
  },
  {
    email: 'compliance@brokerdeck.test',
    name: 'Demo Compliance',
    grants: [
      { brand: 'atlas', role: 'COMPLIANCE' },
      { brand: 'sahara', role: 'COMPLIANCE' },
    ],
  },
  {
    email: 'marketing@brokerdeck.test',
    name: 'Demo Marketing',
    grants: [
      { brand: 'atlas', role: 'MARKETING' },
      { brand: 'sahara', role: 'MARKETING' },
    ],
  },
  {
    email: 'support@brokerdeck.test',
    name: 'Demo Support',
    grants: [
      { brand: 'atlas', role: 'SUPPORT' },
      { brand: 'sahara', role: 'SUPPORT' },
    ],
  },
  {
    email: 'readonly@brokerdeck.test',
    name: 'Demo Read-only',
    grants: [
      { brand: 'atlas', role: 'READ_ONLY' },
      { brand: 'sahara', role: 'READ_ONLY' },
    ],
  },
];

export interface SeedResult {
  seeded: boolean;
  ownerEmail: string;
}

/**
 * Fills an empty database with the demo: brands and one staff login per role (the owner's email
 * and the password from the configuration; every demo login shares that password). A database
 * that already has brands is left untouched, so restarts keep whatever staff changed.
 */
export async function seedDemo(
  em: EntityManager,
  pubsub: EventPubSub,
  uploadsDir: string,
  owner: { email: string; password: string; secretsKey?: string },
): Promise<SeedResult> {
  const ownerEmail = owner.email.toLowerCase();
  if ((await em.count(Brand, {})) > 0) return { seeded: false, ownerEmail };
  const brands = new BrandService(em, pubsub, uploadsDir);
  const plans = new PlanService(em, pubsub);
  const brandIds = new Map<string, string>();
  for (const { presets, ...brand } of DEMO_BRANDS) {
    const created = await brands.create(createBrandInput(brand));
    brandIds.set(brand.slug, created.id);
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
  await seedRiskGroups(em);
  const passwordHash = await hashPassword(owner.password);
  const box = new SecretBox(owner.secretsKey ?? DEV_SECRETS_KEY);
  for (const member of DEMO_STAFF) {
    const isOwner = member.grants.some((g) => g.role === 'OWNER');
    const email = isOwner ? ownerEmail : member.email;
    if ((await em.count(StaffUser, { email })) > 0) continue;
    const staff = em.create(StaffUser, {
      email,
      name: member.name,
      passwordHash,
      ...(isOwner ? { totpSecret: box.seal(DEMO_OWNER_TOTP_SECRET), totpEnabledAt: new Date() } : {}),
    });
    for (const grant of member.grants) {
      const brandId = grant.brand === null ? null : brandIds.get(grant.brand);
      if (brandId === undefined) throw new Error(`demo staff grant on unknown brand ${grant.brand}`);
      em.create(StaffGrant, { staff, brandId, role: grant.role });
    }
  }
  await em.flush();
  return { seeded: true, ownerEmail };
}
