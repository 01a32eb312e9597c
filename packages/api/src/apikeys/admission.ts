import { GraphQLError } from 'graphql';
import type { Viewer } from '../auth/viewer';
import { AppError, type ErrorCode } from '../common/errors';
import { rateOf } from './apikey.service';
import type { RateLimiter } from './rate-limit';

/**
 * A coarse limit for requests without a viewer, per client IP: generous enough for a portal
 * visitor and a test run, low enough to blunt a scripted flood. Behind a reverse proxy the IP is
 * the proxy's unless Express's `trust proxy` is set for it.
 */
export const ANONYMOUS_PER_MINUTE_PER_IP = 1200;

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
};

export const rateLimited = (retryAfterSeconds: number) =>
  new AppError('RATE_LIMITED', `Too many requests; retry in ${retryAfterSeconds} s`, [], { retryAfterSeconds });

/** Decides, before anything runs, whether a request may go on: one token from its bucket. */
export class RequestGate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly anonymousPerMinute = ANONYMOUS_PER_MINUTE_PER_IP,
  ) {}

  /** Throws RATE_LIMITED (with retryAfterSeconds) when the viewer's bucket is empty. */
  async admit(viewer: Viewer, ip: string | undefined): Promise<void> {
    const bucket =
      viewer.kind === 'apiKey'
        ? { key: `key:${viewer.keyId}`, perMinute: rateOf(viewer) }
        : viewer.kind === 'anonymous' && ip
          ? { key: `ip:${ip}`, perMinute: this.anonymousPerMinute }
          : null;
    if (!bucket) return;
    const decision = await this.limiter.take(bucket.key, bucket.perMinute);
    if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
  }

  close() {
    return this.limiter.close();
  }
}

/**
 * A typed error raised before execution (while building the request's context) as the GraphQL
 * error Apollo answers with, with the matching HTTP status and, when rate-limited, Retry-After.
 * Anything else is rethrown unchanged (and becomes an internal error).
 */
export function asRequestError(error: unknown): never {
  if (!(error instanceof AppError)) throw error;
  const retryAfter = error.extra.retryAfterSeconds;
  throw new GraphQLError(error.message, {
    extensions: {
      code: error.code,
      ...error.extra,
      http: {
        status: HTTP_STATUS[error.code] ?? 400,
        headers: new Map(typeof retryAfter === 'number' ? [['retry-after', String(retryAfter)]] : []),
      },
    },
  });
}

/** The same error as the JSON body and status of a plain HTTP endpoint (e.g. /ingest). */
export function httpProblem(error: AppError) {
  return {
    status: HTTP_STATUS[error.code] ?? 400,
    retryAfter: typeof error.extra.retryAfterSeconds === 'number' ? error.extra.retryAfterSeconds : undefined,
    body: { error: { code: error.code, message: error.message, ...error.extra } },
  };
}
