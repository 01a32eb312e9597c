import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit';
import { AppError, conflict, notFound } from '../common/errors';
import { SecretBox } from '../common/secrets';
import { StaffSession, StaffUser } from './auth.entity';
import { accountLocked, LoginGuard } from './login-guard';
import { hashPassword, verifyPassword } from './passwords';
import { hashRecoveryCode, matchingStep, newRecoveryCodes, newTotpSecret, otpauthUri } from './totp';
import { anonymous, type StaffViewer, type Viewer } from './viewer';

export const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

// Verifying against a fixed hash when the email is unknown keeps the response time the same,
// so sign-in does not reveal which emails exist.
let decoyHash: Promise<string> | undefined;

export interface AuthOptions {
  /** SECRETS_KEY: seals TOTP secrets. Not needed to resolve a session. */
  secretsKey?: string;
  /** Who is acting, for the audit trail. */
  viewer?: Viewer;
  requestId?: string;
  ip?: string;
  /** The clock (tests move it); every time comparison of sign-in security reads it. */
  now?: () => Date;
}

export interface SignInAttempt {
  email: string;
  password: string;
  totpCode?: string | null;
  recoveryCode?: string | null;
}

export interface SessionInfo {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

const staffViewerOf = (staff: StaffUser, sessionId: string): StaffViewer => {
  const grants = staff.grants.getItems().map((g) => ({ brandId: g.brandId, role: g.role }));
  return {
    kind: 'staff',
    staffId: staff.id,
    sessionId,
    email: staff.email,
    name: staff.name,
    grants,
    totpEnrollmentRequired: grants.some((g) => g.role === 'OWNER') && !staff.totpEnabledAt,
  };
};

export class AuthService {
  private readonly now: () => Date;
  private readonly guard: LoginGuard;

  constructor(
    private readonly em: EntityManager,
    private readonly sessionTtlHours: number,
    private readonly options: AuthOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.guard = new LoginGuard(this.now);
  }

  private get box(): SecretBox {
    if (!this.options.secretsKey) throw new Error('AuthService needs the secrets key for two-factor');
    return new SecretBox(this.options.secretsKey);
  }

  private actor(viewer: Viewer = this.options.viewer ?? anonymous) {
    return { viewer, requestId: this.options.requestId, ip: this.options.ip };
  }

  /**
   * Password, then (when on) a TOTP or recovery code. Every failure counts towards the email's
   * lockout and the IP's budget, and is audited; a missing second factor is TOTP_REQUIRED and
   * counts for nothing (the password was right).
   */
  async signIn(attempt: SignInAttempt, meta: { userAgent?: string; ip?: string }) {
    const email = attempt.email.trim().toLowerCase();
    const staff = await this.em.findOne(StaffUser, { email }, { populate: ['grants'] });
    try {
      await this.guard.assertMayTry(this.em, email, meta.ip);
    } catch (error) {
      if (error instanceof AppError && error.code === 'ACCOUNT_LOCKED') {
        await this.em.transactional((tem) =>
          audit(tem, this.actor(anonymous), {
            brandId: null,
            operation: 'signInFailed',
            targetType: 'StaffUser',
            targetId: staff?.id ?? null,
            after: { email, reason: 'locked' },
          }),
        );
      }
      throw error;
    }

    decoyHash ??= hashPassword('decoy-password-for-timing');
    const ok = await verifyPassword(staff?.passwordHash ?? (await decoyHash), attempt.password);
    if (!staff || !ok || !staff.active || !staff.passwordHash) {
      return this.failed(email, staff, meta.ip, 'password', 'Email or password is not correct');
    }

    if (staff.totpSecret) {
      if (attempt.recoveryCode) {
        if (!(await this.useRecoveryCode(this.em, staff.id, attempt.recoveryCode))) {
          return this.failed(email, staff, meta.ip, 'recoveryCode', 'The recovery code is not correct or was used');
        }
      } else if (attempt.totpCode) {
        if (!(await this.acceptTotp(this.em, staff, this.box.open(staff.totpSecret), attempt.totpCode))) {
          return this.failed(email, staff, meta.ip, 'totpCode', 'The two-factor code is not correct');
        }
      } else {
        throw new AppError('TOTP_REQUIRED', 'Enter the code from your authenticator app (or a recovery code)');
      }
    }

    const token = randomBytes(32).toString('base64url');
    const session = await this.em.transactional(async (tem) => {
      await this.guard.recordSuccess(tem, email, meta.ip);
      const created = tem.create(StaffSession, {
        tokenHash: sha256(token),
        staff: tem.getReference(StaffUser, staff.id),
        expiresAt: new Date(this.now().getTime() + this.sessionTtlHours * 3600_000),
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
        ip: meta.ip ?? null,
      });
      await tem.flush();
      await audit(tem, this.actor(staffViewerOf(staff, created.id)), {
        brandId: null,
        operation: 'signIn',
        targetType: 'StaffSession',
        targetId: created.id,
        after: {
          staffId: staff.id,
          secondFactor: staff.totpSecret ? (attempt.recoveryCode ? 'recoveryCode' : 'totp') : null,
        },
      });
      return created;
    });
    return { token, session, staff, viewer: staffViewerOf(staff, session.id) };
  }

  private async failed(
    email: string,
    staff: StaffUser | null,
    ip: string | undefined,
    reason: string,
    message: string,
  ): Promise<never> {
    const lockedUntil = await this.em.transactional(async (tem) => {
      const until = await this.guard.recordFailure(tem, email, ip);
      const target = { brandId: null, targetType: 'StaffUser', targetId: staff?.id ?? null };
      await audit(tem, this.actor(anonymous), { ...target, operation: 'signInFailed', after: { email, reason } });
      if (until) {
        await audit(tem, this.actor(anonymous), {
          ...target,
          operation: 'accountLocked',
          after: { email, lockedUntil: until.toISOString() },
        });
      }
      return until;
    });
    if (lockedUntil) throw accountLocked(lockedUntil, this.now());
    throw new AppError('UNAUTHENTICATED', message);
  }

  /** Accepts a code once: its time step must be later than the last accepted one (atomic across processes). */
  private async acceptTotp(em: EntityManager, staff: StaffUser, secret: string, code: string): Promise<boolean> {
    const step = matchingStep(secret, code, this.now());
    if (step === null) return false;
    const updated = await em
      .getConnection()
      .execute(
        'UPDATE staff_user SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)',
        [step, staff.id, step],
        'run',
        em.getTransactionContext(),
      );
    return (updated as { affectedRows?: number }).affectedRows === 1;
  }

  private async useRecoveryCode(em: EntityManager, staffId: string, code: string): Promise<boolean> {
    const used = await em
      .getConnection()
      .execute(
        'UPDATE staff_recovery_code SET used_at = now() WHERE staff_id = ? AND code_hash = ? AND used_at IS NULL',
        [staffId, hashRecoveryCode(code)],
        'run',
        em.getTransactionContext(),
      );
    return (used as { affectedRows?: number }).affectedRows === 1;
  }

  async signOut(viewer: StaffViewer) {
    await this.em.transactional(async (tem) => {
      await tem.nativeUpdate(StaffSession, { id: viewer.sessionId, revokedAt: null }, { revokedAt: this.now() });
      await audit(tem, this.actor(viewer), {
        brandId: null,
        operation: 'signOut',
        targetType: 'StaffSession',
        targetId: viewer.sessionId,
      });
    });
  }

  /** Resolves a bearer token or session cookie to a viewer; an expired or revoked session is no viewer. */
  async viewerForToken(token: string): Promise<StaffViewer | null> {
    const session = await this.em.findOne(
      StaffSession,
      { tokenHash: sha256(token), revokedAt: null, expiresAt: { $gt: this.now() } },
      { populate: ['staff', 'staff.grants'] },
    );
    if (!session?.staff.active) return null;
    return staffViewerOf(session.staff, session.id);
  }

  // Sessions

  /** A staff member's open sessions (not revoked, not expired), newest first. */
  async sessions(staffId: string, currentSessionId?: string): Promise<SessionInfo[]> {
    const rows = await this.em.find(
      StaffSession,
      { staff: staffId, revokedAt: null, expiresAt: { $gt: this.now() } },
      { orderBy: { createdAt: 'desc' } },
    );
    return rows.map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      expiresAt: s.expiresAt,
      userAgent: s.userAgent,
      ip: s.ip,
      current: s.id === currentSessionId,
    }));
  }

  /** Revokes one session: one's own, or anyone's for an OWNER. Another's session is NOT_FOUND to a non-owner. */
  async revokeSession(viewer: StaffViewer, sessionId: string): Promise<boolean> {
    const isOwner = viewer.grants.some((g) => g.role === 'OWNER');
    const session = await this.em.findOne(StaffSession, { id: sessionId }, { populate: ['staff'] });
    if (!session || (!isOwner && session.staff.id !== viewer.staffId)) throw notFound('Session');
    if (session.revokedAt) return false;
    await this.em.transactional(async (tem) => {
      await tem.nativeUpdate(StaffSession, { id: sessionId, revokedAt: null }, { revokedAt: this.now() });
      await audit(tem, this.actor(viewer), {
        brandId: null,
        operation: 'revokeSession',
        targetType: 'StaffSession',
        targetId: sessionId,
        before: { revoked: false, staffId: session.staff.id },
        after: { revoked: true, staffId: session.staff.id },
      });
    });
    return true;
  }

  // Two-factor

  async totpStatus(staffId: string) {
    const staff = await this.em.findOneOrFail(StaffUser, { id: staffId });
    const [row] = await this.em
      .getConnection()
      .execute<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM staff_recovery_code WHERE staff_id = ? AND used_at IS NULL',
        [staffId],
      );
    return { enabled: staff.totpEnabledAt !== null, enabledAt: staff.totpEnabledAt, recoveryCodesLeft: row?.n ?? 0 };
  }

  /** A new secret, kept aside (sealed) until a code from it confirms the enrollment. */
  async beginTotpEnrollment(viewer: StaffViewer) {
    const staff = await this.em.findOneOrFail(StaffUser, { id: viewer.staffId });
    if (staff.totpSecret) throw conflict('Two-factor sign-in is already on; turn it off first to enroll again');
    const secret = newTotpSecret();
    await this.em.transactional(async (tem) => {
      await tem.nativeUpdate(StaffUser, { id: staff.id }, { totpPendingSecret: this.box.seal(secret) });
      await audit(tem, this.actor(viewer), {
        brandId: null,
        operation: 'beginTotpEnrollment',
        targetType: 'StaffUser',
        targetId: staff.id,
      });
    });
    return { secret, otpauthUri: otpauthUri(staff.email, secret) };
  }

  /** Turns two-factor on with a code from the pending secret; returns ten recovery codes, shown once. */
  async confirmTotpEnrollment(viewer: StaffViewer, code: string): Promise<string[]> {
    const staff = await this.em.findOneOrFail(StaffUser, { id: viewer.staffId });
    if (staff.totpSecret) throw conflict('Two-factor sign-in is already on');
    if (!staff.totpPendingSecret) throw conflict('Start the enrollment first');
    const pending = staff.totpPendingSecret;
    const step = matchingStep(this.box.open(pending), code, this.now());
    if (step === null)
      throw new AppError('BAD_USER_INPUT', 'The code is not correct', [{ path: ['code'], message: 'is not correct' }]);
    const codes = newRecoveryCodes();
    await this.em.transactional(async (tem) => {
      await tem.nativeUpdate(
        StaffUser,
        { id: staff.id },
        { totpSecret: pending, totpPendingSecret: null, totpEnabledAt: this.now(), totpLastStep: String(step) },
      );
      await this.replaceRecoveryCodes(tem, staff.id, codes);
      await audit(tem, this.actor(viewer), {
        brandId: null,
        operation: 'confirmTotpEnrollment',
        targetType: 'StaffUser',
        targetId: staff.id,
        before: { twoFactor: 'off' },
        after: { twoFactor: 'on', codesIssued: codes.length },
      });
    });
    return codes;
  }

  /** Turns two-factor off; needs a current code (not a replayed one). */
  async disableTotp(viewer: StaffViewer, code: string): Promise<boolean> {
    const staff = await this.em.findOneOrFail(StaffUser, { id: viewer.staffId });
    if (!staff.totpSecret) throw conflict('Two-factor sign-in is not on');
    const secret = this.box.open(staff.totpSecret);
    await this.em.transactional(async (tem) => {
      if (!(await this.acceptTotp(tem, staff, secret, code))) {
        throw new AppError('BAD_USER_INPUT', 'The code is not correct', [
          { path: ['code'], message: 'is not correct' },
        ]);
      }
      await tem.nativeUpdate(
        StaffUser,
        { id: staff.id },
        { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null },
      );
      await this.replaceRecoveryCodes(tem, staff.id, []);
      await audit(tem, this.actor(viewer), {
        brandId: null,
        operation: 'disableTotp',
        targetType: 'StaffUser',
        targetId: staff.id,
        before: { twoFactor: 'on' },
        after: { twoFactor: 'off' },
      });
    });
    return true;
  }

  /** Ten new recovery codes in place of the old ones; needs a current code. */
  async regenerateRecoveryCodes(viewer: StaffViewer, code: string): Promise<string[]> {
    const staff = await this.em.findOneOrFail(StaffUser, { id: viewer.staffId });
    if (!staff.totpSecret) throw conflict('Two-factor sign-in is not on');
    const secret = this.box.open(staff.totpSecret);
    const codes = newRecoveryCodes();
    await this.em.transactional(async (tem) => {
      if (!(await this.acceptTotp(tem, staff, secret, code))) {
        throw new AppError('BAD_USER_INPUT', 'The code is not correct', [
          { path: ['code'], message: 'is not correct' },
        ]);
      }
      await this.replaceRecoveryCodes(tem, staff.id, codes);
      await audit(tem, this.actor(viewer), {
        brandId: null,
        operation: 'regenerateRecoveryCodes',
        targetType: 'StaffUser',
        targetId: staff.id,
        after: { codesIssued: codes.length },
      });
    });
    return codes;
  }

  private async replaceRecoveryCodes(em: EntityManager, staffId: string, codes: string[]) {
    const conn = em.getConnection();
    const ctx = em.getTransactionContext();
    await conn.execute('DELETE FROM staff_recovery_code WHERE staff_id = ?', [staffId], 'run', ctx);
    for (const code of codes) {
      await conn.execute(
        'INSERT INTO staff_recovery_code (staff_id, code_hash) VALUES (?, ?)',
        [staffId, hashRecoveryCode(code)],
        'run',
        ctx,
      );
    }
  }
}
