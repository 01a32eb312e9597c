import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit';
import { Brand } from '../brands/brand.entity';
import { AppError, badInput, conflict, notFound } from '../common/errors';
import { enqueueMessage } from '../messages/outbox';
import { STAFF_ROLES, StaffGrant, StaffSession, StaffUser, type StaffRole } from './auth.entity';
import { sha256 } from './auth.service';
import { LoginGuard } from './login-guard';
import { hashPassword } from './passwords';
import { anonymous, type StaffViewer, type Viewer } from './viewer';

export const INVITE_TTL_MS = 72 * 3600_000;
export const RESET_TTL_MS = 2 * 3600_000;
export const MIN_PASSWORD_LENGTH = 10;

export interface GrantInput {
  brandId: string | null;
  role: string;
}

export interface StaffOptions {
  viewer: Viewer;
  requestId?: string;
  ip?: string;
  /** Where links in messages point: config.PUBLIC_URL, else the request's origin. */
  publicUrl?: string;
  now?: () => Date;
}

export type StaffStatus = 'INVITED' | 'ACTIVE' | 'DEACTIVATED';

export interface StaffMemberInfo {
  id: string;
  email: string;
  name: string;
  status: StaffStatus;
  totpEnabled: boolean;
  grants: { brandId: string | null; role: StaffRole }[];
  createdAt: Date;
}

const statusOf = (s: StaffUser): StaffStatus => (!s.active ? 'DEACTIVATED' : s.passwordHash ? 'ACTIVE' : 'INVITED');
const grantsOf = (s: StaffUser) => s.grants.getItems().map((g) => ({ brandId: g.brandId, role: g.role }));
const describeGrants = (grants: { brandId: string | null; role: string }[]) =>
  grants.map((g) => `${g.role}@${g.brandId ?? '*'}`).sort();

export function assertPassword(password: string, path: string[]) {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 200) {
    throw badInput([{ path, message: `must be ${MIN_PASSWORD_LENGTH} to 200 characters` }]);
  }
}

/**
 * The staff lifecycle: invite by email (a one-time token through the outbox), accept, change
 * grants, deactivate (sessions end at once), reset a password. Tokens are random and stored as
 * SHA-256 hashes; every change is audited in its own transaction.
 */
export class StaffService {
  private readonly now: () => Date;

  constructor(
    private readonly em: EntityManager,
    private readonly options: StaffOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  private actor(viewer: Viewer = this.options.viewer) {
    return { viewer, requestId: this.options.requestId, ip: this.options.ip };
  }

  private link(path: string) {
    // No guessing: a link to the wrong host would hand the token to whoever owns it.
    if (!this.options.publicUrl) throw new Error('PUBLIC_URL is not set: links in messages cannot be made');
    return `${this.options.publicUrl.replace(/\/+$/, '')}${path}`;
  }

  async list(): Promise<StaffMemberInfo[]> {
    const rows = await this.em.find(StaffUser, {}, { populate: ['grants'], orderBy: { email: 'asc' } });
    return rows.map((s) => this.info(s));
  }

  private info(s: StaffUser): StaffMemberInfo {
    return {
      id: s.id,
      email: s.email,
      name: s.name,
      status: statusOf(s),
      totpEnabled: s.totpEnabledAt !== null,
      grants: grantsOf(s),
      createdAt: s.createdAt,
    };
  }

  private async validGrants(grants: GrantInput[], path: string[]) {
    if (grants.length === 0) throw badInput([{ path, message: 'must hold at least one role' }]);
    const problems = grants.flatMap((g, i) =>
      (STAFF_ROLES as readonly string[]).includes(g.role)
        ? []
        : [{ path: [...path, String(i), 'role'], message: 'is not a staff role' }],
    );
    if (problems.length) throw badInput(problems);
    const brandIds = [...new Set(grants.flatMap((g) => (g.brandId ? [g.brandId] : [])))];
    const known = new Set((await this.em.find(Brand, { id: { $in: brandIds } }, { fields: ['id'] })).map((b) => b.id));
    const unknown = grants.flatMap((g, i) =>
      g.brandId && !known.has(g.brandId) ? [{ path: [...path, String(i), 'brandId'], message: 'no such brand' }] : [],
    );
    if (unknown.length) throw badInput(unknown);
    const seen = new Set<string>();
    return grants
      .map((g) => ({ brandId: g.brandId ?? null, role: g.role as StaffRole }))
      .filter((g) => {
        const key = `${g.brandId}:${g.role}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  }

  private async issueToken(em: EntityManager, staffId: string, purpose: 'INVITE' | 'RESET', ttlMs: number) {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const conn = em.getConnection();
    const ctx = em.getTransactionContext();
    // A new token replaces any earlier one of the same purpose.
    await conn.execute(
      'UPDATE staff_token SET used_at = ?::timestamptz WHERE staff_id = ? AND purpose = ? AND used_at IS NULL',
      [now.toISOString(), staffId, purpose],
      'run',
      ctx,
    );
    await conn.execute(
      `INSERT INTO staff_token (staff_id, purpose, token_hash, created_at, expires_at)
       VALUES (?, ?, ?, ?::timestamptz, ?::timestamptz)`,
      [staffId, purpose, sha256(token), now.toISOString(), new Date(now.getTime() + ttlMs).toISOString()],
      'run',
      ctx,
    );
    return token;
  }

  /** Marks a valid token used and returns its staff id; an unknown, used or expired token is one answer. */
  private async useToken(em: EntityManager, token: string, purpose: 'INVITE' | 'RESET'): Promise<string> {
    const now = this.now().toISOString();
    const rows = await em.getConnection().execute<{ staff_id: string }[]>(
      `UPDATE staff_token SET used_at = ?::timestamptz
          WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?::timestamptz
          RETURNING staff_id`,
      [now, sha256(token), purpose, now],
      'all',
      em.getTransactionContext(),
    );
    const staffId = rows[0]?.staff_id;
    if (!staffId) {
      throw badInput(
        [{ path: ['token'], message: 'This link is not valid or has expired' }],
        'This link is not valid or has expired',
      );
    }
    return staffId;
  }

  async invite(input: { email: string; name: string; grants: GrantInput[] }): Promise<StaffMemberInfo> {
    const email = input.email.trim().toLowerCase();
    const name = input.name.trim();
    const problems = [
      ...(/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
        ? []
        : [{ path: ['input', 'email'], message: 'must be an email address' }]),
      ...(name.length >= 1 && name.length <= 100
        ? []
        : [{ path: ['input', 'name'], message: 'must be 1 to 100 characters' }]),
    ];
    if (problems.length) throw badInput(problems);
    const grants = await this.validGrants(input.grants, ['input', 'grants']);
    if ((await this.em.count(StaffUser, { email })) > 0) {
      throw conflict('A staff member with this email already exists', [
        { path: ['input', 'email'], message: 'is already a staff member' },
      ]);
    }
    const id = await this.em.transactional(async (tem) => {
      const staff = tem.create(StaffUser, { email, name });
      for (const grant of grants) tem.create(StaffGrant, { staff, ...grant });
      await tem.flush();
      const token = await this.issueToken(tem, staff.id, 'INVITE', INVITE_TTL_MS);
      const inviter = this.options.viewer.kind === 'staff' ? this.options.viewer.name : 'Brokerdeck';
      await enqueueMessage(tem, {
        brandId: null,
        channel: 'EMAIL',
        recipient: email,
        template: 'staff.invite',
        locale: 'en',
        subject: 'You are invited to the Brokerdeck back office',
        body: `Hello ${name},\n\n${inviter} invited you to the Brokerdeck back office. Choose your password here (the link works for 72 hours, once):\n\n${this.link(`/admin/invite/${token}`)}\n`,
      });
      await audit(tem, this.actor(), {
        brandId: null,
        operation: 'inviteStaff',
        targetType: 'StaffUser',
        targetId: staff.id,
        after: { email, name, grants: describeGrants(grants), status: 'INVITED' },
      });
      return staff.id;
    });
    return this.info(await this.em.findOneOrFail(StaffUser, { id }, { populate: ['grants'], refresh: true }));
  }

  /** Sets the invited member's password (and optionally their name); they then sign in as usual. */
  async acceptInvite(token: string, password: string, name?: string | null): Promise<boolean> {
    assertPassword(password, ['password']);
    const trimmed = name?.trim();
    if (name != null && (!trimmed || trimmed.length > 100)) {
      throw badInput([{ path: ['name'], message: 'must be 1 to 100 characters' }]);
    }
    const passwordHash = await hashPassword(password);
    await this.em.transactional(async (tem) => {
      const staffId = await this.useToken(tem, token, 'INVITE');
      const staff = await tem.findOneOrFail(StaffUser, { id: staffId });
      if (!staff.active) throw badInput([{ path: ['token'], message: 'This link is not valid or has expired' }]);
      const before = { name: staff.name, status: statusOf(staff) };
      staff.passwordHash = passwordHash;
      if (trimmed) staff.name = trimmed;
      await tem.flush();
      await audit(tem, this.actor({ ...anonymous }), {
        brandId: null,
        operation: 'acceptStaffInvite',
        targetType: 'StaffUser',
        targetId: staff.id,
        before: { ...before, passwordHash: null },
        after: { name: staff.name, status: 'ACTIVE', passwordHash: 'set' },
      });
    });
    return true;
  }

  async setGrants(staffId: string, input: GrantInput[]): Promise<StaffMemberInfo> {
    const staff = await this.em.findOne(StaffUser, { id: staffId }, { populate: ['grants'] });
    if (!staff) throw notFound('Staff member');
    const grants = await this.validGrants(input, ['grants']);
    const before = describeGrants(grantsOf(staff));
    const losesOwner = grantsOf(staff).some((g) => g.role === 'OWNER') && !grants.some((g) => g.role === 'OWNER');
    if (losesOwner) await this.assertAnotherOwner(staff.id);
    await this.em.transactional(async (tem) => {
      await tem.nativeDelete(StaffGrant, { staff: staff.id });
      for (const grant of grants) tem.create(StaffGrant, { staff: tem.getReference(StaffUser, staff.id), ...grant });
      await tem.flush();
      await audit(tem, this.actor(), {
        brandId: null,
        operation: 'setStaffGrants',
        targetType: 'StaffUser',
        targetId: staff.id,
        before: { grants: before },
        after: { grants: describeGrants(grants) },
      });
    });
    return this.info(await this.em.findOneOrFail(StaffUser, { id: staff.id }, { populate: ['grants'], refresh: true }));
  }

  /** The last active owner cannot be demoted or deactivated: someone must be able to manage staff. */
  private async assertAnotherOwner(staffId: string) {
    const owners = await this.em.count(StaffGrant, { role: 'OWNER', staff: { active: true, id: { $ne: staffId } } });
    if (owners === 0) throw conflict('This is the last active owner');
  }

  /** Deactivates a member: they can no longer sign in, and their open sessions end at once. */
  async deactivate(staffId: string): Promise<StaffMemberInfo> {
    const viewer = this.options.viewer as StaffViewer;
    if (viewer.kind === 'staff' && viewer.staffId === staffId) throw conflict('You cannot deactivate yourself');
    const staff = await this.em.findOne(StaffUser, { id: staffId }, { populate: ['grants'] });
    if (!staff) throw notFound('Staff member');
    if (!staff.active) return this.info(staff);
    if (grantsOf(staff).some((g) => g.role === 'OWNER')) await this.assertAnotherOwner(staff.id);
    const now = this.now();
    await this.em.transactional(async (tem) => {
      await tem.nativeUpdate(StaffUser, { id: staff.id }, { active: false, deactivatedAt: now });
      const revoked = await tem.nativeUpdate(StaffSession, { staff: staff.id, revokedAt: null }, { revokedAt: now });
      await audit(tem, this.actor(), {
        brandId: null,
        operation: 'deactivateStaff',
        targetType: 'StaffUser',
        targetId: staff.id,
        before: { status: statusOf(staff) },
        after: { status: 'DEACTIVATED', sessionsRevoked: revoked },
      });
    });
    return this.info(await this.em.findOneOrFail(StaffUser, { id: staff.id }, { populate: ['grants'], refresh: true }));
  }

  /**
   * Sends a reset link to an active member. The answer is the same whether or not the email
   * belongs to anyone, and takes about as long (no enumeration).
   */
  async requestPasswordReset(rawEmail: string): Promise<boolean> {
    const email = rawEmail.trim().toLowerCase();
    const staff = await this.em.findOne(StaffUser, { email });
    if (!staff?.active || !staff.passwordHash) {
      // Roughly the work of the other branch, so the response time does not tell either.
      await hashPassword(randomBytes(8).toString('hex'));
      return true;
    }
    await this.em.transactional(async (tem) => {
      const token = await this.issueToken(tem, staff.id, 'RESET', RESET_TTL_MS);
      await enqueueMessage(tem, {
        brandId: null,
        channel: 'EMAIL',
        recipient: staff.email,
        template: 'staff.reset-password',
        locale: 'en',
        subject: 'Reset your Brokerdeck password',
        body: `Hello ${staff.name},\n\nSomeone asked to reset your Brokerdeck password. If it was you, choose a new one here (the link works for 2 hours, once):\n\n${this.link(`/admin/reset/${token}`)}\n\nIf it was not you, ignore this message.\n`,
      });
      await audit(tem, this.actor(anonymous), {
        brandId: null,
        operation: 'requestStaffPasswordReset',
        targetType: 'StaffUser',
        targetId: staff.id,
      });
    });
    return true;
  }

  /** Sets a new password from a reset link; every session of the member ends and a lockout lifts. */
  async resetPassword(token: string, newPassword: string): Promise<boolean> {
    assertPassword(newPassword, ['newPassword']);
    const passwordHash = await hashPassword(newPassword);
    await this.em.transactional(async (tem) => {
      const staffId = await this.useToken(tem, token, 'RESET');
      const staff = await tem.findOneOrFail(StaffUser, { id: staffId });
      if (!staff.active) throw new AppError('BAD_USER_INPUT', 'This link is not valid or has expired');
      await tem.nativeUpdate(StaffUser, { id: staff.id }, { passwordHash });
      const revoked = await tem.nativeUpdate(
        StaffSession,
        { staff: staff.id, revokedAt: null },
        { revokedAt: this.now() },
      );
      await new LoginGuard(this.now).unlock(tem, staff.email);
      await audit(tem, this.actor(anonymous), {
        brandId: null,
        operation: 'resetStaffPassword',
        targetType: 'StaffUser',
        targetId: staff.id,
        before: { passwordHash: 'old' },
        after: { passwordHash: 'new', sessionsRevoked: revoked },
      });
    });
    return true;
  }
}
