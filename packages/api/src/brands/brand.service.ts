import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, conflict, notFound } from '../common/errors';
import { TENANT_FILTER, type TenantScope } from '../db/tenancy';
import { type AuditActor, audit } from '../audit/audit';
import { systemViewer } from '../auth/viewer';
import { assertValid } from '../common/validation';
import type { EventPubSub } from '../events/pubsub';
import { Topic } from '../events/topics';
import { Brand as BrandEntity, BrandHost } from './brand.entity';
import {
  type Brand,
  BrandColorsInput,
  BrandStatus,
  type BrandTheme,
  CreateBrandInput,
  type LogoUploadInput,
  UpdateBrandInput,
} from './brand.types';

const MAX_LOGO_BYTES = 512 * 1024;
const LOGO_EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
};

export function toBrand(entity: BrandEntity): Brand {
  return {
    id: entity.id,
    name: entity.name,
    slug: entity.slug,
    logoUrl: entity.logoUrl,
    colors: { ...entity.colors },
    locales: [...entity.locales],
    defaultLocale: entity.defaultLocale,
    currency: entity.currency,
    timeZone: entity.timeZone,
    hosts: entity.hosts.isInitialized() ? entity.hosts.getItems().map((h) => h.host) : [],
    status: entity.status as BrandStatus,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

/** What the audit trail records of a brand: its settings, not its timestamps. */
function auditView(brand: Brand): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, id: _i, ...fields } = brand;
  return fields;
}

export function toTheme(brand: Brand): BrandTheme {
  const { slug, name, logoUrl, colors, locales, defaultLocale, currency, timeZone } = brand;
  return { slug, name, logoUrl, colors, locales, defaultLocale, currency, timeZone };
}

/** Accepts plain objects too (the seed), turning them into the validated input classes. */
export function createBrandInput(plain: Omit<CreateBrandInput, 'colors'> & { colors: BrandColorsInput }) {
  return Object.assign(new CreateBrandInput(), plain, { colors: Object.assign(new BrandColorsInput(), plain.colors) });
}

export class BrandService {
  constructor(
    private readonly em: EntityManager,
    private readonly pubsub: EventPubSub,
    private readonly uploadsDir: string,
    private readonly actor: AuditActor = { viewer: systemViewer('brand service') },
  ) {}

  async list(includeArchived: boolean): Promise<Brand[]> {
    const where = includeArchived ? {} : { status: 'ACTIVE' as const };
    const brands = await this.em.find(BrandEntity, where, { populate: ['hosts'], orderBy: { name: 'asc' } });
    return brands.map(toBrand);
  }

  async get(id: string): Promise<Brand> {
    return toBrand(await this.load(id));
  }

  /** The portal's brand, by one of its host names or (in development) its slug. Archived brands are not served. */
  async theme(by: { host?: string | null; slug?: string | null }): Promise<BrandTheme> {
    const host = by.host?.toLowerCase().trim();
    const where = by.slug ? { slug: by.slug } : host ? { hosts: { host } } : null;
    if (!where) throw badInput([{ path: ['slug'], message: 'give a host or a slug' }]);
    // The theme is public: looked up across brands, by an explicit system scope that names why.
    const scope: TenantScope = { brandIds: null, reason: 'public brand theme lookup' };
    const brand = await this.em.findOne(
      BrandEntity,
      { ...where, status: 'ACTIVE' },
      { populate: ['hosts'], filters: { [TENANT_FILTER]: scope } },
    );
    if (!brand) throw notFound('Brand');
    return toTheme(toBrand(brand));
  }

  /** The id of an active brand by slug, for public reads such as the portal catalogue. */
  async activeBrandId(slug: string): Promise<string> {
    const scope: TenantScope = { brandIds: null, reason: 'public brand lookup' };
    const brand = await this.em.findOne(
      BrandEntity,
      { slug, status: 'ACTIVE' },
      { fields: ['id'], filters: { [TENANT_FILTER]: scope } },
    );
    if (!brand) throw notFound('Brand');
    return brand.id;
  }

  async create(input: CreateBrandInput): Promise<Brand> {
    await assertValid(input, ['input']);
    this.assertDefaultLocale(input.locales, input.defaultLocale);
    const hosts = normaliseHosts(input.hosts);
    const created = await this.writeUnique(async (em) => {
      await this.assertUnique(em, input.slug, hosts, null);
      const brand = em.create(BrandEntity, {
        name: input.name.trim(),
        slug: input.slug,
        logoUrl: input.logoUrl ?? null,
        colors: { primary: input.colors.primary, accent: input.colors.accent },
        locales: input.locales,
        defaultLocale: input.defaultLocale,
        currency: input.currency,
        timeZone: input.timeZone,
        status: 'ACTIVE',
      });
      for (const host of hosts) brand.hosts.add(em.create(BrandHost, { host, brand }));
      await audit(em, this.actor, {
        brandId: brand.id,
        operation: 'createBrand',
        targetType: 'Brand',
        targetId: brand.id,
        before: null,
        after: auditView(toBrand(brand)),
      });
      return brand;
    });
    return this.published(toBrand(created), []);
  }

  async update(id: string, input: UpdateBrandInput): Promise<Brand> {
    await assertValid(input, ['input']);
    const before = toBrand(await this.load(id));
    const locales = input.locales ?? before.locales;
    const defaultLocale =
      input.defaultLocale ?? (locales.includes(before.defaultLocale) ? before.defaultLocale : locales[0]!);
    this.assertDefaultLocale(locales, defaultLocale);
    const hosts = input.hosts ? normaliseHosts(input.hosts) : null;
    const updated = await this.writeUnique(async (em) => {
      const brand = await em.findOneOrFail(BrandEntity, { id }, { populate: ['hosts'] });
      await this.assertUnique(em, input.slug && input.slug !== brand.slug ? input.slug : null, hosts ?? [], brand.id);
      if (input.name !== undefined && input.name !== null) brand.name = input.name.trim();
      if (input.slug) brand.slug = input.slug;
      if (input.logoUrl !== undefined) brand.logoUrl = input.logoUrl;
      if (input.colors) brand.colors = { primary: input.colors.primary, accent: input.colors.accent };
      brand.locales = locales;
      brand.defaultLocale = defaultLocale;
      if (input.currency) brand.currency = input.currency;
      if (input.timeZone) brand.timeZone = input.timeZone;
      if (hosts) {
        brand.hosts.removeAll();
        // Removed hosts must be gone before the same host can be inserted again in this flush.
        await em.flush();
        for (const host of hosts) brand.hosts.add(em.create(BrandHost, { host, brand }));
      }
      brand.updatedAt = new Date();
      await audit(em, this.actor, {
        brandId: id,
        operation: 'updateBrand',
        targetType: 'Brand',
        targetId: id,
        before: auditView(before),
        after: auditView(toBrand(brand)),
      });
      return brand;
    });
    return this.published(toBrand(updated), [before.slug]);
  }

  async setStatus(id: string, status: BrandStatus): Promise<Brand> {
    const updated = await this.writeUnique(async (em) => {
      const brand = await em.findOneOrFail(BrandEntity, { id }, { populate: ['hosts'] });
      const previous = brand.status;
      brand.status = status;
      brand.updatedAt = new Date();
      await audit(em, this.actor, {
        brandId: id,
        operation: status === 'ARCHIVED' ? 'archiveBrand' : 'restoreBrand',
        targetType: 'Brand',
        targetId: id,
        before: { status: previous },
        after: { status },
      });
      return brand;
    });
    return this.published(toBrand(updated), []);
  }

  async uploadLogo(id: string, upload: LogoUploadInput): Promise<Brand> {
    await assertValid(upload, ['file']);
    const brand = await this.load(id);
    const bytes = Buffer.from(upload.base64, 'base64');
    if (bytes.length === 0 || bytes.length > MAX_LOGO_BYTES) {
      throw badInput([{ path: ['file', 'base64'], message: 'the image must be between 1 byte and 512 KiB' }]);
    }
    if (!looksLike(upload.contentType, bytes)) {
      throw badInput([{ path: ['file', 'base64'], message: `the file is not a ${upload.contentType} image` }]);
    }
    const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    const fileName = `brand-${brand.id}-${digest}.${LOGO_EXTENSIONS[upload.contentType]}`;
    await fs.mkdir(this.uploadsDir, { recursive: true });
    await fs.writeFile(path.join(this.uploadsDir, fileName), bytes);
    return this.update(id, Object.assign(new UpdateBrandInput(), { logoUrl: `/uploads/${fileName}` }));
  }

  private async load(id: string): Promise<BrandEntity> {
    const brand = await this.em.findOne(BrandEntity, { id }, { populate: ['hosts'] });
    if (!brand) throw notFound('Brand');
    return brand;
  }

  private assertDefaultLocale(locales: string[], defaultLocale: string) {
    if (!locales.includes(defaultLocale)) {
      throw badInput([{ path: ['input', 'defaultLocale'], message: 'must be one of the brand languages' }]);
    }
  }

  private async assertUnique(em: EntityManager, slug: string | null, hosts: string[], self: string | null) {
    if (slug && (await em.count(BrandEntity, { slug, id: { $ne: self ?? undefined } }, { filters: false }))) {
      throw conflict(`The slug "${slug}" is already used by another brand`, [
        { path: ['input', 'slug'], message: 'already used by another brand' },
      ]);
    }
    if (hosts.length === 0) return;
    const taken = await em.find(
      BrandHost,
      { host: { $in: hosts }, brand: { $ne: self ?? undefined } },
      { filters: false },
    );
    if (taken.length > 0) {
      throw conflict(`Host ${taken.map((h) => h.host).join(', ')} is already used by another brand`, [
        { path: ['input', 'hosts'], message: 'already used by another brand' },
      ]);
    }
  }

  /** Runs a write in one transaction; a unique violation that slipped past the checks (a race) is still a CONFLICT. */
  private async writeUnique(work: (em: EntityManager) => Promise<BrandEntity>): Promise<BrandEntity> {
    try {
      return await this.em.transactional(work);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw conflict('The slug or a host name is already used by another brand');
      }
      throw error;
    }
  }

  private published(brand: Brand, previousSlugs: string[]): Brand {
    const theme = toTheme(brand);
    for (const slug of new Set([brand.slug, ...previousSlugs])) this.pubsub.publish(Topic.brandTheme(slug), theme);
    return brand;
  }
}

function normaliseHosts(hosts: string[]): string[] {
  return [...new Set(hosts.map((h) => h.trim().toLowerCase()).filter(Boolean))];
}

/** Checks the first bytes, so a renamed file cannot pass as an image. */
function looksLike(contentType: string, bytes: Buffer): boolean {
  const head = bytes.subarray(0, 12);
  switch (contentType) {
    case 'image/png':
      return head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    case 'image/jpeg':
      return head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
    case 'image/webp':
      return head.subarray(0, 4).toString() === 'RIFF' && head.subarray(8, 12).toString() === 'WEBP';
    case 'image/svg+xml': {
      const text = bytes.subarray(0, 2048).toString('utf8');
      return /<svg[\s>]/i.test(text) && !/<script/i.test(bytes.toString('utf8'));
    }
    default:
      return false;
  }
}
