import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../common/errors';

/** Sign-in throttling; the same numbers for every API process, since the state is in PostgreSQL. */
export const LOGIN_LIMITS = {
  /** Failed attempts for one email within the window that lock it. */
  failuresPerEmail: 5,
  /** Failed attempts from one IP address within the window before it is refused. */
  failuresPerIp: 30,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

const secondsUntil = (until: Date, now: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

export const accountLocked = (until: Date, now: Date) =>
  new AppError('ACCOUNT_LOCKED', 'Too many failed sign-in attempts: this account is locked for a while', [], {
    retryAfterSeconds: secondsUntil(until, now),
  });

type Row = Record<string, unknown>;

function run<T extends Row>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}

/**
 * Failed sign-ins are counted per email as typed (known or not, so a lockout says nothing about
 * which emails exist) and per IP address. A lock is a row with its end time; it ends by itself.
 */
export class LoginGuard {
  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Throws RATE_LIMITED for an IP over its budget, ACCOUNT_LOCKED for a locked email. */
  async assertMayTry(em: EntityManager, email: string, ip: string | undefined): Promise<void> {
    const now = this.now();
    if (ip) {
      const [row] = await run<{ n: number; oldest: Date | null }>(
        em,
        `SELECT count(*)::int AS n, min(at) AS oldest FROM staff_login_attempt
          WHERE ip = ? AND NOT succeeded AND at > ?::timestamptz`,
        [ip, new Date(now.getTime() - LOGIN_LIMITS.windowMs).toISOString()],
      );
      if (row && row.n >= LOGIN_LIMITS.failuresPerIp && row.oldest) {
        const until = new Date(new Date(row.oldest).getTime() + LOGIN_LIMITS.windowMs);
        throw new AppError('RATE_LIMITED', 'Too many sign-in attempts from this address: try again later', [], {
          retryAfterSeconds: secondsUntil(until, now),
        });
      }
    }
    const until = await this.lockedUntil(em, email);
    if (until && until > now) throw accountLocked(until, now);
  }

  async lockedUntil(em: EntityManager, email: string): Promise<Date | null> {
    const [lock] = await run<{ locked_until: Date }>(em, 'SELECT locked_until FROM staff_login_lock WHERE email = ?', [
      email,
    ]);
    return lock ? new Date(lock.locked_until) : null;
  }

  /**
   * Records a failure inside the caller's transaction and locks the email when this failure is the
   * last one allowed. Failures count since the window's start, the last success and the end of the
   * last lock, whichever is latest. Returns the lock's end when this failure locked the email.
   */
  async recordFailure(em: EntityManager, email: string, ip: string | undefined): Promise<Date | null> {
    const now = this.now();
    // One email's failures are counted one at a time, also across API processes.
    await run(em, 'SELECT pg_advisory_xact_lock(hashtext(?))', [`staff-login:${email}`]);
    // Rows older than a day count for nothing: each email and address keeps only its recent ones.
    const dayAgo = new Date(now.getTime() - 24 * 3600_000).toISOString();
    await run(em, 'DELETE FROM staff_login_attempt WHERE email = ? AND at < ?::timestamptz', [email, dayAgo]);
    if (ip) {
      await run(em, 'DELETE FROM staff_login_attempt WHERE ip = ? AND NOT succeeded AND at < ?::timestamptz', [
        ip,
        dayAgo,
      ]);
    }
    await run(em, 'INSERT INTO staff_login_attempt (email, ip, succeeded, at) VALUES (?, ?, false, ?::timestamptz)', [
      email,
      ip ?? null,
      now.toISOString(),
    ]);
    const [row] = await run<{ n: number }>(
      em,
      `SELECT count(*)::int AS n FROM staff_login_attempt
        WHERE email = ? AND NOT succeeded AND at > ?::timestamptz
          AND at > coalesce((SELECT max(at) FROM staff_login_attempt WHERE email = ? AND succeeded), '-infinity')
          AND at > coalesce((SELECT locked_until FROM staff_login_lock WHERE email = ?), '-infinity')`,
      [email, new Date(now.getTime() - LOGIN_LIMITS.windowMs).toISOString(), email, email],
    );
    if ((row?.n ?? 0) < LOGIN_LIMITS.failuresPerEmail) return null;
    const until = new Date(now.getTime() + LOGIN_LIMITS.lockMs);
    await run(
      em,
      `INSERT INTO staff_login_lock (email, locked_at, locked_until) VALUES (?, ?::timestamptz, ?::timestamptz)
       ON CONFLICT (email) DO UPDATE SET locked_at = excluded.locked_at, locked_until = excluded.locked_until`,
      [email, now.toISOString(), until.toISOString()],
    );
    return until;
  }

  async recordSuccess(em: EntityManager, email: string, ip: string | undefined): Promise<void> {
    await run(em, 'INSERT INTO staff_login_attempt (email, ip, succeeded, at) VALUES (?, ?, true, ?::timestamptz)', [
      email,
      ip ?? null,
      this.now().toISOString(),
    ]);
    await run(em, 'DELETE FROM staff_login_lock WHERE email = ?', [email]);
  }

  /** A password reset ends a lock: whoever reset it holds the mailbox. */
  async unlock(em: EntityManager, email: string): Promise<void> {
    // Ending the lock now (rather than deleting it) also stops earlier failures from counting.
    const now = this.now().toISOString();
    await run(
      em,
      `INSERT INTO staff_login_lock (email, locked_at, locked_until) VALUES (?, ?::timestamptz, ?::timestamptz)
       ON CONFLICT (email) DO UPDATE SET locked_until = excluded.locked_until`,
      [email, now, now],
    );
  }
}
