import { CombinedGraphQLErrors } from '@apollo/client/errors';

/** What the API said went wrong: its code, the field problems (by the field's last path segment) and extras. */
export interface Problem {
  code: string;
  fields: Record<string, string>;
  retryAfterSeconds: number | null;
}

export function problemOf(error: unknown): Problem {
  if (!CombinedGraphQLErrors.is(error)) return { code: 'NETWORK', fields: {}, retryAfterSeconds: null };
  const extensions = (error.errors[0]?.extensions ?? {}) as {
    code?: unknown;
    fields?: { path: string[]; message: string }[];
    retryAfterSeconds?: unknown;
  };
  const fields: Record<string, string> = {};
  for (const problem of extensions.fields ?? []) {
    const name = problem.path[problem.path.length - 1];
    if (name && !fields[name]) fields[name] = problem.message;
  }
  return {
    code: typeof extensions.code === 'string' ? extensions.code : 'INTERNAL',
    fields,
    retryAfterSeconds: typeof extensions.retryAfterSeconds === 'number' ? extensions.retryAfterSeconds : null,
  };
}
