import { createHash, randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type AuditActor, audit } from '../audit/audit';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { TraderViewer, Viewer } from '../auth/viewer';
import { Brand } from '../brands/brand.entity';
import { AppError, badInput, conflict, notFound, unauthenticated } from '../common/errors';
import { isSupportedLocale } from '../common/locales';
import { assertValid } from '../common/validation';
import { brandScopedSql } from '../db/scoped-sql';
import { systemScope } from '../db/tenancy';
import { enqueueMessage } from '../messages/outbox';
import { portalLink } from './links';
import { traderMessage } from './messages';
import { Trader, TraderSession, TraderToken, type TraderTokenPurpose } from './trader.entity';
import { NewPassword, type TraderProfile, TraderSignUpInput, UpdateMyProfileInput } from './trader.types';

/** Trader session tokens carry a prefix so a bearer token is routed to the right kind of session. */
export const TRADER_TOKEN_PREFIX = 'bdt_';
export const TRADER_SESSION_TTL_HOURS = 24 * 7;
export const LOCKOUT = { failures: 5, windowMinutes: 15, lockMinutes: 15 } as const;
const TOKEN_TTL_HOURS: Record<TraderTokenPurpose, number> = { VERIFY_EMAIL: 72, RESET_PASSWORD: 1 };
/** At most this many verification emails (sign-up included) per trader within the window. */
const VERIFY_EMAILS_PER_WINDOW = 3;
const RESEND_WINDOW_MINUTES = 10;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');
const normaliseEmail = (email: string) => email.trim().toLowerCase();

const BAD_CREDENTIALS = 'Email or password is not correct';
const BAD_LINK = 'This link is invalid, was already used or has expired';

// Verifying against a fixed hash when the email is unknown keeps the response time the same.
let decoyHash: Promise<string> | undefined;
const decoy = () => {
  decoyHash ??= hashPassword('decoy-password-for-timing-only');
  return decoyHash;
};

export interface TraderSettings {
  publicUrl?: string | null;
  production: boolean;
}

export interface TraderRequest {
  viewer: Viewer;
  requestId?: string;
  ip?: string;
  userAgent?: string;
  origin?: string;
}

type BrandRow = Brand & { hostNames: string[] };

/**
 * Traders on their brand's portal: sign-up, sign-in with a lockout, sessions, email verification
 * and password reset through one-time tokens sent via the outbox, and their own profile.
 *
 * Before sign-in there is no viewer to scope the data layer, so the public operations work in a
 * system scope limited to the one brand the portal names (or that the token belongs to).
 */
export class TraderService {
  constructor(
    /** The process-wide EntityManager, only ever forked into a named system scope. */
    private readonly root: EntityManager,
    /** The request's EntityManager, scoped to the viewer's brands. */
    private readonly em: EntityManager,
    private readonly settings: TraderSettings,
    private readonly request: TraderRequest,
  ) {}

  async signUp(input: TraderSignUpInput) {
    await assertValid(Object.assign(new TraderSignUpInput(), input), ['input']);
    const { brand, em } = await this.brandScope(input.brandSlug, 'trader sign-up');
    if (input.locale != null) this.assertBrandLocale(brand, input.locale, ['input', 'locale']);
    const email = normaliseEmail(input.email);
    const passwordHash = await hashPassword(input.password);
    return em
      .transactional(async (tx) => {
        // Taken, with or without a password: a trader staff issued an account to (no password yet)
        // claims it through "forgot password", whose link proves they own the address.
        if ((await tx.count(Trader, { brandId: brand.id, email })) > 0) {
          throw taken();
        }
        const trader = tx.create(Trader, {
          brandId: brand.id,
          email,
          name: input.name.trim(),
          passwordHash,
          locale: input.locale ?? null,
          timeZone: input.timeZone ?? null,
        });
        await tx.flush();
        const session = await this.openSession(tx, trader);
        const actor = this.actorFor(trader, session.session.id);
        await this.sendLink(tx, brand, trader, 'VERIFY_EMAIL');
        await audit(tx, actor, {
          brandId: brand.id,
          operation: 'traderSignUp',
          targetType: 'Trader',
          targetId: trader.id,
          after: { email, name: trader.name, locale: trader.locale, timeZone: trader.timeZone, password: 'set' },
        });
        return { ...session, trader: this.profile(trader, brand) };
      })
      .catch((error: unknown) => {
        // Two sign-ups with one email at the same moment: the database keeps one.
        if (error instanceof UniqueConstraintViolationException) throw taken();
        throw error;
      });
  }

  async signIn(brandSlug: string, emailInput: string, password: string) {
    const { brand, em } = await this.brandScope(brandSlug, 'trader sign-in');
    const email = normaliseEmail(emailInput);
    const trader = await em.findOne(Trader, { brandId: brand.id, email });
    if (trader?.lockedUntil && trader.lockedUntil > new Date()) throw locked(trader.lockedUntil);
    // Unknown here (another brand's trader included) and wrong password look exactly alike.
    const ok = await verifyPassword(trader?.passwordHash ?? (await decoy()), password);
    if (!trader?.passwordHash || !ok) {
      if (trader?.passwordHash) {
        const lockedUntil = await this.recordFailure(em, trader);
        if (lockedUntil) throw locked(lockedUntil);
      }
      throw new AppError('UNAUTHENTICATED', BAD_CREDENTIALS);
    }
    return em.transactional(async (tx) => {
      await tx.nativeUpdate(Trader, { id: trader.id }, { failedSignIns: 0, failedSince: null, lockedUntil: null });
      const session = await this.openSession(tx, trader);
      await audit(tx, this.actorFor(trader, session.session.id), {
        brandId: brand.id,
        operation: 'traderSignIn',
        targetType: 'TraderSession',
        targetId: session.session.id,
      });
      return { ...session, trader: this.profile(trader, brand) };
    });
  }

  /** Ends the current trader session (nothing to do for anyone else). */
  async signOut(): Promise<void> {
    const viewer = this.request.viewer;
    if (viewer.kind !== 'trader') return;
    await this.em.transactional(async (tx) => {
      await tx.nativeUpdate(TraderSession, { id: viewer.sessionId, revokedAt: null }, { revokedAt: new Date() });
      await audit(tx, this.auditActor(viewer), {
        brandId: viewer.brandId,
        operation: 'traderSignOut',
        targetType: 'TraderSession',
        targetId: viewer.sessionId,
      });
    });
  }

  async verifyEmail(token: string): Promise<boolean> {
    const consumed = await this.consumeToken(token, 'VERIFY_EMAIL', async (tx, trader) => {
      const before = trader.emailVerifiedAt;
      trader.emailVerifiedAt ??= new Date();
      await tx.flush();
      await audit(tx, this.actorFor(trader), {
        brandId: trader.brandId,
        operation: 'verifyTraderEmail',
        targetType: 'Trader',
        targetId: trader.id,
        before: { emailVerified: before !== null },
        after: { emailVerified: true },
      });
    });
    if (!consumed) throw badInput([{ path: ['token'], message: BAD_LINK }], BAD_LINK);
    return true;
  }

  /** Always answers the same, whether the email is a trader of this brand or not. */
  async requestPasswordReset(brandSlug: string, emailInput: string): Promise<boolean> {
    const { brand, em } = await this.brandScope(brandSlug, 'trader password reset request');
    const trader = await em.findOne(Trader, { brandId: brand.id, email: normaliseEmail(emailInput) });
    if (!trader) return true;
    await em.transactional((tx) => this.sendLink(tx, brand, trader, 'RESET_PASSWORD'));
    return true;
  }

  /** Sets a new password from a reset link; every other session of the trader ends, the lockout lifts. */
  async resetPassword(token: string, newPassword: string): Promise<boolean> {
    await assertValid(new NewPassword(newPassword), []);
    const passwordHash = await hashPassword(newPassword);
    const viewer = this.request.viewer;
    const consumed = await this.consumeToken(token, 'RESET_PASSWORD', async (tx, trader) => {
      const wasVerified = trader.emailVerifiedAt !== null;
      trader.passwordHash = passwordHash;
      // The link arrived by email, which proves the address too.
      trader.emailVerifiedAt ??= new Date();
      trader.failedSignIns = 0;
      trader.failedSince = null;
      trader.lockedUntil = null;
      await tx.flush();
      const keep = viewer.kind === 'trader' && viewer.traderId === trader.id ? viewer.sessionId : null;
      const revoked = await tx.nativeUpdate(
        TraderSession,
        { traderId: trader.id, revokedAt: null, ...(keep ? { id: { $ne: keep } } : {}) },
        { revokedAt: new Date() },
      );
      await audit(tx, this.actorFor(trader, keep ?? ''), {
        brandId: trader.brandId,
        operation: 'resetTraderPassword',
        targetType: 'Trader',
        targetId: trader.id,
        before: { password: 'old', emailVerified: wasVerified },
        after: { password: 'new', emailVerified: true, sessionsRevoked: revoked },
      });
    });
    if (!consumed) throw badInput([{ path: ['token'], message: BAD_LINK }], BAD_LINK);
    return true;
  }

  /** A fresh verification link for the signed-in trader; the previous link stops working. */
  async resendVerification(): Promise<boolean> {
    const viewer = this.requireTrader();
    const trader = await this.em.findOneOrFail(Trader, { id: viewer.traderId });
    if (trader.emailVerifiedAt) throw conflict('Your email is already verified');
    // At most a few emails in a short while, so the button cannot be used to flood an inbox.
    const since = new Date(Date.now() - RESEND_WINDOW_MINUTES * 60_000);
    const recent = await this.em.find(
      TraderToken,
      { traderId: trader.id, purpose: 'VERIFY_EMAIL', createdAt: { $gt: since } },
      { orderBy: { createdAt: 'asc' }, fields: ['createdAt'] },
    );
    if (recent.length >= VERIFY_EMAILS_PER_WINDOW) {
      const freeAt =
        recent[recent.length - VERIFY_EMAILS_PER_WINDOW]!.createdAt.getTime() + RESEND_WINDOW_MINUTES * 60_000;
      throw new AppError('RATE_LIMITED', 'Several verification emails were just sent; try again in a few minutes', [], {
        retryAfterSeconds: Math.max(1, Math.ceil((freeAt - Date.now()) / 1000)),
      });
    }
    const brand = await this.brandById(this.em, trader.brandId);
    await this.em.transactional(async (tx) => {
      await this.sendLink(tx, brand, trader, 'VERIFY_EMAIL');
      await audit(tx, this.auditActor(viewer), {
        brandId: trader.brandId,
        operation: 'resendTraderVerification',
        targetType: 'Trader',
        targetId: trader.id,
      });
    });
    return true;
  }

  /** The signed-in trader, or null for anyone else. */
  async me(): Promise<TraderProfile | null> {
    const viewer = this.request.viewer;
    if (viewer.kind !== 'trader') return null;
    const trader = await this.em.findOne(Trader, { id: viewer.traderId });
    if (!trader) return null;
    return this.profile(trader, await this.brandById(this.em, trader.brandId));
  }

  async updateProfile(input: UpdateMyProfileInput): Promise<TraderProfile> {
    const viewer = this.requireTrader();
    await assertValid(Object.assign(new UpdateMyProfileInput(), input), ['input']);
    const trader = await this.em.findOneOrFail(Trader, { id: viewer.traderId });
    const brand = await this.brandById(this.em, trader.brandId);
    if (input.locale != null) this.assertBrandLocale(brand, input.locale, ['input', 'locale']);
    const before = { name: trader.name, locale: trader.locale, timeZone: trader.timeZone };
    if (input.name != null) trader.name = input.name.trim();
    if (input.locale != null) trader.locale = input.locale;
    if (input.timeZone != null) trader.timeZone = input.timeZone;
    const after = { name: trader.name, locale: trader.locale, timeZone: trader.timeZone };
    await this.em.transactional(async (tx) => {
      await tx.flush();
      await audit(tx, this.auditActor(viewer), {
        brandId: trader.brandId,
        operation: 'updateMyProfile',
        targetType: 'Trader',
        targetId: trader.id,
        before,
        after,
      });
    });
    return this.profile(trader, brand);
  }

  // ——— internals ———

  private requireTrader(): TraderViewer {
    const viewer = this.request.viewer;
    if (viewer.kind !== 'trader') throw unauthenticated();
    return viewer;
  }

  /** The active brand a portal names, and an EntityManager limited to it. */
  private async brandScope(slug: string, reason: string) {
    const lookup = systemScope(this.root, `${reason}: brand lookup`);
    const brand = await lookup.findOne(
      Brand,
      { slug: String(slug).trim().toLowerCase(), status: 'ACTIVE' },
      { populate: ['hosts'] },
    );
    if (!brand) throw notFound('Brand');
    const em = systemScope(this.root, `${reason} on ${brand.slug}`, [brand.id]);
    return { brand: withHosts(brand), em };
  }

  private async brandById(em: EntityManager, brandId: string): Promise<BrandRow> {
    return withHosts(await em.findOneOrFail(Brand, { id: brandId }, { populate: ['hosts'] }));
  }

  private assertBrandLocale(brand: Brand, locale: string, path: string[]) {
    if (!brand.locales.includes(locale) || !isSupportedLocale(locale)) {
      throw badInput([{ path, message: `must be one of this brand's languages: ${brand.locales.join(', ')}` }]);
    }
  }

  private async openSession(tx: EntityManager, trader: Trader) {
    const token = `${TRADER_TOKEN_PREFIX}${newToken()}`;
    const session = tx.create(TraderSession, {
      traderId: trader.id,
      brandId: trader.brandId,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + TRADER_SESSION_TTL_HOURS * 3600_000),
      userAgent: this.request.userAgent?.slice(0, 300) ?? null,
      ip: this.request.ip ?? null,
    });
    await tx.flush();
    return { token, session };
  }

  /**
   * Counts a failed sign-in in one atomic statement: failures older than the window start a new
   * count, and the fifth within it locks the trader out. Committed on its own, before the refusal.
   */
  private async recordFailure(em: EntityManager, trader: Trader): Promise<Date | null> {
    const [row] = await brandScopedSql<{ locked_until: Date | null; n: number }>(
      em,
      [trader.brandId],
      `WITH next AS (
         SELECT id, CASE WHEN failed_since IS NULL OR failed_since <= now() - make_interval(mins => ?) THEN 1
                         ELSE failed_sign_ins + 1 END AS n,
                    CASE WHEN failed_since IS NULL OR failed_since <= now() - make_interval(mins => ?) THEN now()
                         ELSE failed_since END AS since
           FROM trader WHERE id = ? AND brand_id = ? FOR UPDATE)
       UPDATE trader t
          SET failed_sign_ins = CASE WHEN next.n >= ? THEN 0 ELSE next.n END,
              failed_since = CASE WHEN next.n >= ? THEN NULL ELSE next.since END,
              locked_until = CASE WHEN next.n >= ? THEN now() + make_interval(mins => ?) ELSE t.locked_until END
         FROM next WHERE t.id = next.id
       RETURNING next.n AS n, CASE WHEN next.n >= ? THEN t.locked_until END AS locked_until`,
      [
        LOCKOUT.windowMinutes,
        LOCKOUT.windowMinutes,
        trader.id,
        trader.brandId,
        LOCKOUT.failures,
        LOCKOUT.failures,
        LOCKOUT.failures,
        LOCKOUT.lockMinutes,
        LOCKOUT.failures,
      ],
    );
    if (!row?.locked_until) return null;
    await audit(em, this.actorFor(trader), {
      brandId: trader.brandId,
      operation: 'traderLockedOut',
      targetType: 'Trader',
      targetId: trader.id,
      after: { lockedUntil: new Date(row.locked_until).toISOString(), failures: LOCKOUT.failures },
    });
    return new Date(row.locked_until);
  }

  /** Issues a one-time link (older unused ones of the same kind stop working) and queues its email. */
  private async sendLink(tx: EntityManager, brand: BrandRow, trader: Trader, purpose: TraderTokenPurpose) {
    const token = newToken();
    const now = new Date();
    await tx.nativeUpdate(TraderToken, { traderId: trader.id, purpose, usedAt: null }, { usedAt: now });
    tx.create(TraderToken, {
      traderId: trader.id,
      brandId: trader.brandId,
      purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(now.getTime() + TOKEN_TTL_HOURS[purpose] * 3600_000),
    });
    await tx.flush();
    const path = `/${purpose === 'VERIFY_EMAIL' ? 'verify' : 'reset'}/${token}`;
    const link = portalLink({ slug: brand.slug, hosts: brand.hostNames }, path, {
      publicUrl: this.settings.publicUrl,
      requestOrigin: this.request.origin,
      production: this.settings.production,
    });
    const message = traderMessage(purpose === 'VERIFY_EMAIL' ? 'verify' : 'reset', effectiveLocale(trader, brand), {
      brand: brand.name,
      name: trader.name,
      link,
    });
    await enqueueMessage(tx, { brandId: brand.id, channel: 'EMAIL', recipient: trader.email, ...message });
  }

  /**
   * Uses a one-time token: found by its hash, of this purpose, unused and unexpired, marked used in
   * the same transaction as `work` (two concurrent uses: the second finds it used). False if none.
   */
  private async consumeToken(
    token: string,
    purpose: TraderTokenPurpose,
    work: (tx: EntityManager, trader: Trader) => Promise<void>,
  ): Promise<boolean> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 200) return false;
    // The token names its brand; until it is found there is none to scope to.
    const lookup = systemScope(this.root, `one-time trader link (${purpose})`);
    const found = await lookup.findOne(TraderToken, { tokenHash: sha256(token), purpose }, { fields: ['brandId'] });
    if (!found) return false;
    const em = systemScope(this.root, `one-time trader link (${purpose})`, [found.brandId]);
    return em.transactional(async (tx) => {
      const used = await tx.nativeUpdate(
        TraderToken,
        { id: found.id, usedAt: null, expiresAt: { $gt: new Date() } },
        { usedAt: new Date() },
      );
      if (used === 0) return false;
      const row = await tx.findOneOrFail(TraderToken, { id: found.id });
      await work(tx, await tx.findOneOrFail(Trader, { id: row.traderId }));
      return true;
    });
  }

  private profile(trader: Trader, brand: Brand): TraderProfile {
    return {
      id: trader.id,
      email: trader.email,
      name: trader.name,
      brandSlug: brand.slug,
      locale: effectiveLocale(trader, brand),
      timeZone: trader.timeZone ?? brand.timeZone,
      emailVerified: trader.emailVerifiedAt !== null,
      createdAt: trader.createdAt,
    };
  }

  private actorFor(trader: Trader, sessionId = ''): AuditActor {
    return this.auditActor({
      kind: 'trader',
      traderId: trader.id,
      brandId: trader.brandId,
      sessionId,
      email: trader.email,
    });
  }

  private auditActor(viewer: TraderViewer): AuditActor {
    return { viewer, requestId: this.request.requestId, ip: this.request.ip };
  }
}

function withHosts(brand: Brand): BrandRow {
  return Object.assign(brand, { hostNames: brand.hosts.getItems().map((h) => h.host) });
}

/** The trader's language if the brand still offers it, else the brand's default. */
function effectiveLocale(trader: Trader, brand: Brand): string {
  return trader.locale && brand.locales.includes(trader.locale) ? trader.locale : brand.defaultLocale;
}

const taken = () =>
  conflict('An account with this email already exists here: sign in or reset your password', [
    { path: ['input', 'email'], message: 'already registered: sign in or reset your password' },
  ]);

function locked(until: Date): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new AppError('ACCOUNT_LOCKED', 'Too many failed sign-ins: try again later or reset your password', [], {
    retryAfterSeconds,
  });
}

/** Resolves a trader session token to a viewer; an expired or revoked session, or an archived brand, is none. */
export async function traderViewerForToken(root: EntityManager, token: string): Promise<TraderViewer | null> {
  const em = systemScope(root, 'resolve a trader session');
  const session = await em.findOne(TraderSession, {
    tokenHash: sha256(token),
    revokedAt: null,
    expiresAt: { $gt: new Date() },
  });
  if (!session) return null;
  const trader = await em.findOne(Trader, { id: session.traderId });
  const brand = await em.findOne(Brand, { id: session.brandId, status: 'ACTIVE' }, { fields: ['id'] });
  if (!trader || !brand) return null;
  return {
    kind: 'trader',
    traderId: trader.id,
    brandId: trader.brandId,
    sessionId: session.id,
    email: trader.email,
  };
}

export const isTraderToken = (token: string) => token.startsWith(TRADER_TOKEN_PREFIX);
