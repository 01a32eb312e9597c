import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { type AuditActor, audit } from '../audit/audit';
import { systemViewer } from '../auth/viewer';
import { Brand } from '../brands/brand.entity';
import { badInput, notFound } from '../common/errors';
import type { SecretBox } from '../common/secrets';
import type { Mt5ConnectionRow, Mt5ConnectionSettings, Mt5Connections } from './mt5-connections';
import { mt5SettingsOverrides } from './mt5-connections';
import { PlatformConnectionRow } from './platform.entity';

const connectionFields = {
  name: z.string().trim().min(1).max(80),
  url: z
    .string()
    .url()
    .refine((u) => u.startsWith('https://'), 'must be an https:// address (the Web API is HTTPS only)'),
  managerLogin: z.string().regex(/^\d{1,20}$/, 'must be the numeric MT5 manager login'),
  password: z.string().min(1).max(256),
  server: z.string().trim().min(1).max(100),
  caCertificate: z
    .string()
    .refine((pem) => pem.includes('-----BEGIN CERTIFICATE-----'), 'must be a PEM certificate')
    .nullable(),
  accountGroup: z.string().trim().min(1).max(64),
  settings: mt5SettingsOverrides,
};
const createSchema = z.object({
  ...connectionFields,
  server: connectionFields.server.optional(),
  caCertificate: connectionFields.caCertificate.optional(),
  accountGroup: connectionFields.accountGroup.default('demo\\prop'),
  settings: connectionFields.settings.default({}),
});
const updateSchema = z.object(connectionFields).partial();

export type Mt5ConnectionCreate = z.input<typeof createSchema>;
export type Mt5ConnectionUpdate = z.input<typeof updateSchema>;

function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw badInput(result.error.issues.map((i) => ({ path: ['input', ...i.path.map(String)], message: i.message })));
  }
  return result.data;
}

/** What staff see of a connection's settings: never the password, sealed or not. */
export function publicMt5Settings(settings: Mt5ConnectionSettings) {
  return {
    url: settings.url,
    managerLogin: settings.managerLogin,
    accountGroup: settings.accountGroup,
    hasCaCertificate: Boolean(settings.caCertificate),
    settings: settings.mt5 as Record<string, unknown>,
  };
}

/** Connecting a brand to its MT5 server, and changing that connection; checked against the server before saving. */
export class Mt5ConnectionService {
  constructor(
    private readonly em: EntityManager,
    private readonly runtime: Mt5Connections,
    private readonly box: SecretBox,
    private readonly actor: AuditActor = { viewer: systemViewer('mt5 connection service') },
  ) {}

  async connect(brandId: string, input: Mt5ConnectionCreate): Promise<string> {
    if (!(await this.em.findOne(Brand, { id: brandId }, { fields: ['id'] }))) throw notFound('Brand');
    const given = parse(createSchema, input);
    const server = given.server ?? new URL(given.url).hostname;
    const { password, name, server: _server, settings: mt5, caCertificate, ...rest } = given;
    const plain = { ...rest, mt5, ...(caCertificate ? { caCertificate } : {}) };
    await this.runtime.verify({ ...plain, password }, server);
    const settings: Mt5ConnectionSettings = { ...plain, passwordSealed: this.box.seal(password) };
    const row = await this.em.transactional(async (em) => {
      const created = em.create(PlatformConnectionRow, {
        id: crypto.randomUUID(),
        brandId,
        kind: 'MT5',
        name,
        server,
        settings: settings as unknown as Record<string, unknown>,
      });
      await em.flush();
      await audit(em, this.actor, {
        brandId,
        operation: 'connectMt5Platform',
        targetType: 'Platform',
        targetId: created.id,
        before: null,
        after: { name, server, ...publicMt5Settings(settings) },
      });
      return created;
    });
    await this.runtime.connect(this.rowOf(row));
    return row.id;
  }

  async update(platformId: string, input: Mt5ConnectionUpdate): Promise<void> {
    const row = await this.em.findOne(PlatformConnectionRow, { id: platformId, kind: 'MT5' });
    if (!row) throw notFound('Platform');
    const given = parse(updateSchema, input);
    const before = row.settings as unknown as Mt5ConnectionSettings;
    const { password, name, server, settings: mt5, caCertificate, ...rest } = given;
    const next: Mt5ConnectionSettings = {
      ...before,
      ...rest,
      ...(mt5 !== undefined ? { mt5 } : {}),
      ...(password !== undefined ? { passwordSealed: this.box.seal(password) } : {}),
    };
    if (caCertificate === null) delete next.caCertificate;
    else if (caCertificate !== undefined) next.caCertificate = caCertificate;
    const nextServer = server ?? row.server;
    const { passwordSealed, ...plain } = next;
    const reachChanged =
      password !== undefined ||
      rest.url !== undefined ||
      rest.managerLogin !== undefined ||
      caCertificate !== undefined;
    if (reachChanged)
      await this.runtime.verify({ ...plain, password: password ?? this.box.open(passwordSealed) }, nextServer);
    await this.em.transactional(async (em) => {
      const fresh = await em.findOneOrFail(PlatformConnectionRow, { id: platformId });
      fresh.settings = next as unknown as Record<string, unknown>;
      fresh.server = nextServer;
      if (name !== undefined) fresh.name = name;
      await em.flush();
      await audit(em, this.actor, {
        brandId: row.brandId,
        operation: 'updateMt5Platform',
        targetType: 'Platform',
        targetId: platformId,
        before: { name: row.name, server: row.server, ...publicMt5Settings(before) },
        after: {
          name: name ?? row.name,
          server: nextServer,
          ...publicMt5Settings(next),
          ...(password !== undefined ? { password: 'changed' } : {}),
        },
      });
    });
    await this.runtime.connect(
      this.rowOf(await this.em.findOneOrFail(PlatformConnectionRow, { id: platformId }, { refresh: true })),
    );
  }

  private rowOf(row: PlatformConnectionRow): Mt5ConnectionRow {
    return {
      id: row.id,
      brand_id: row.brandId,
      server: row.server,
      settings: row.settings as unknown as Mt5ConnectionSettings,
      last_event_at: row.lastEventAt,
    };
  }
}
