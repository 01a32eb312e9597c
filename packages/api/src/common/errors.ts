/**
 * Typed domain errors. Services throw these; one function (formatError in server.ts)
 * maps them to GraphQL `extensions.code`. Anything else is an internal error: logged, never shown.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'ACCOUNT_LOCKED'
  | 'TOTP_REQUIRED'
  | 'TOTP_ENROLLMENT_REQUIRED'
  | 'PLATFORM_UNAVAILABLE'
  | 'PLATFORM_REJECTED';

export interface FieldProblem {
  /** Path of the offending field inside the operation's input, e.g. ['input', 'timeZone']. */
  path: string[];
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badInput = (fields: FieldProblem[], message = fields.map((f) => f.message).join('; ')) =>
  new AppError('BAD_USER_INPUT', message, fields);
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, fields: FieldProblem[] = []) => new AppError('CONFLICT', message, fields);
export const unauthenticated = () => new AppError('UNAUTHENTICATED', 'Sign in to continue');
export const forbidden = (message = 'You are not allowed to do this') => new AppError('FORBIDDEN', message);
