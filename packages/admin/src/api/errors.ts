import { CombinedGraphQLErrors } from '@apollo/client/errors';

/** The `extensions.code` values the API uses, plus NETWORK for anything that never reached it. */
export type ApiErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTERNAL'
  | 'NETWORK'
  | (string & {});

export interface ApiFieldProblem {
  /** e.g. ['input', 'timeZone'] */
  path: string[];
  message: string;
}

export interface ApiProblem {
  code: ApiErrorCode;
  message: string;
  fields: ApiFieldProblem[];
}

function parseFields(raw: unknown): ApiFieldProblem[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item) => {
    if (!item || typeof item !== 'object') return [];
    const { path, message } = item as { path?: unknown; message?: unknown };
    if (!Array.isArray(path) || typeof message !== 'string') return [];
    return [{ path: path.map(String), message }];
  });
}

/** Every problem in an Apollo error, with its code and field paths; a network failure is one NETWORK problem. */
export function apiProblems(error: unknown): ApiProblem[] {
  if (!error) return [];
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((e) => ({
      code: typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL',
      message: e.message,
      fields: parseFields(e.extensions?.fields),
    }));
  }
  const message = error instanceof Error ? error.message : String(error);
  return [{ code: 'NETWORK', message, fields: [] }];
}

export const hasCode = (error: unknown, code: ApiErrorCode) => apiProblems(error).some((p) => p.code === code);

export interface MappedErrors<F extends string> {
  /** A message per form field (several problems on one field are joined). */
  fieldErrors: Partial<Record<F, string>>;
  /** Problems that belong to no field on this form: shown above the buttons. */
  formErrors: { code: ApiErrorCode; message: string }[];
}

/**
 * Puts each `extensions.fields` problem on the form field its path names, after stripping the root
 * argument (`input`): ['input', 'colors', 'primary'] → `colors.primary`. A deeper path lands on its
 * closest field (['input', 'hosts', '2'] → `hosts`); anything unmatched, and errors without fields,
 * become form-level messages.
 */
export function mapFieldErrors<F extends string>(
  problems: ApiProblem[],
  fields: readonly F[],
  root = 'input',
): MappedErrors<F> {
  const fieldErrors: Partial<Record<F, string>> = {};
  const formErrors: MappedErrors<F>['formErrors'] = [];
  for (const problem of problems) {
    if (problem.fields.length === 0) {
      formErrors.push({ code: problem.code, message: problem.message });
      continue;
    }
    for (const { path, message } of problem.fields) {
      const parts = path[0] === root ? path.slice(1) : path;
      const field = closestField(parts, fields);
      if (field) {
        fieldErrors[field] = fieldErrors[field] ? `${fieldErrors[field]}; ${message}` : message;
      } else {
        formErrors.push({ code: problem.code, message: parts.length ? `${parts.join('.')}: ${message}` : message });
      }
    }
  }
  return { fieldErrors, formErrors };
}

function closestField<F extends string>(parts: string[], fields: readonly F[]): F | undefined {
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('.');
    const match = fields.find((f) => f === candidate);
    if (match) return match;
  }
  return undefined;
}

/**
 * A failed submit, shown on the form: each field problem on its field (the first one focused),
 * and the rest returned for the form's alert. `setError` is react-hook-form's.
 */
export function showServerErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
  setError: (field: F, error: { type: 'server'; message: string }, options: { shouldFocus: boolean }) => void,
): ApiProblem[] {
  const { fieldErrors, formErrors } = mapFieldErrors(apiProblems(error), fields);
  let first = true;
  for (const field of fields) {
    const message = fieldErrors[field];
    if (!message) continue;
    setError(field, { type: 'server', message }, { shouldFocus: first });
    first = false;
  }
  return formErrors.map((p) => ({ ...p, fields: [] }));
}
