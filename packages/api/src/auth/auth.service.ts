import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../common/errors';
import { StaffSession, StaffUser } from './auth.entity';
import { hashPassword, verifyPassword } from './passwords';
import type { StaffViewer } from './viewer';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

// Verifying against a fixed hash when the email is unknown keeps the response time the same,
// so sign-in does not reveal which emails exist.
let decoyHash: Promise<string> | undefined;

export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly sessionTtlHours: number,
  ) {}

  async signIn(email: string, password: string, meta: { userAgent?: string; ip?: string }) {
    const staff = await this.em.findOne(StaffUser, { email: email.trim().toLowerCase() }, { populate: ['grants'] });
    decoyHash ??= hashPassword('decoy-password-for-timing');
    const ok = await verifyPassword(staff?.passwordHash ?? (await decoyHash), password);
    if (!staff || !ok || !staff.active) {
      throw new AppError('UNAUTHENTICATED', 'Email or password is not correct');
    }
    const token = randomBytes(32).toString('base64url');
    const session = this.em.create(StaffSession, {
      tokenHash: sha256(token),
      staff,
      expiresAt: new Date(Date.now() + this.sessionTtlHours * 3600_000),
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      ip: meta.ip ?? null,
    });
    await this.em.flush();
    return { token, session, staff };
  }

  async signOut(sessionId: string) {
    await this.em.nativeUpdate(StaffSession, { id: sessionId, revokedAt: null }, { revokedAt: new Date() });
  }

  /** Resolves a bearer token or session cookie to a viewer; an expired or revoked session is no viewer. */
  async viewerForToken(token: string): Promise<StaffViewer | null> {
    const session = await this.em.findOne(
      StaffSession,
      { tokenHash: sha256(token), revokedAt: null, expiresAt: { $gt: new Date() } },
      { populate: ['staff', 'staff.grants'] },
    );
    if (!session?.staff.active) return null;
    const staff = session.staff;
    return {
      kind: 'staff',
      staffId: staff.id,
      sessionId: session.id,
      email: staff.email,
      name: staff.name,
      grants: staff.grants.getItems().map((g) => ({ brandId: g.brandId, role: g.role })),
    };
  }
}
