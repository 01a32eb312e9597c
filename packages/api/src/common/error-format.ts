import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../logger';
import { AppError } from './errors';

/**
 * The one place where errors become what a client sees. Domain errors keep their code, message and
 * field paths; GraphQL's own (syntax, validation, variables) keep theirs; anything else is INTERNAL,
 * logged with the request id and never shown (no stack trace, no SQL).
 */
export function toClientError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log: Logger,
  requestId?: string,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof AppError) {
    return {
      message: original.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: {
        code: original.code,
        ...(original.fields.length > 0 ? { fields: original.fields } : {}),
        ...original.extra,
      },
    };
  }
  // Request-level errors (syntax, validation, variable coercion) have no path: they describe the
  // request, not our internals, and already carry Apollo's code.
  if (!formatted.path) {
    const { stacktrace: _drop, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    return { ...formatted, extensions: { ...extensions, code: extensions.code ?? 'BAD_REQUEST' } };
  }
  log.error({ err: original, requestId, path: formatted.path }, 'internal error');
  return {
    message: 'Internal server error',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL', requestId },
  };
}
