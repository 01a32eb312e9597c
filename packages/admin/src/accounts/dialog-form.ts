import { useState } from 'react';
import type { z } from 'zod';
import { apiProblems, mapFieldErrors } from '../api/errors';

/**
 * The errors of a staff dialog's form: the schema's on their fields before anything is sent, then
 * the API's on their fields or (no field, e.g. a CONFLICT) as problems above the buttons.
 */
export function useDialogForm<F extends string>(fields: readonly F[]) {
  const [errors, setErrors] = useState<Partial<Record<F, string>>>({});
  const [problems, setProblems] = useState<{ code: string; message: string }[]>([]);

  /** Checks `values`; when they pass, clears the errors and sends them, keeping what the API refuses. */
  const submit = async <S extends z.ZodTypeAny>(
    schema: S,
    values: unknown,
    send: (parsed: z.infer<S>) => Promise<void>,
  ) => {
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      const next: Partial<Record<F, string>> = {};
      for (const issue of parsed.error.issues) next[issue.path[0] as F] ??= issue.message;
      setErrors(next);
      return;
    }
    setErrors({});
    setProblems([]);
    try {
      await send(parsed.data);
    } catch (error) {
      const mapped = mapFieldErrors(apiProblems(error), fields);
      setErrors(mapped.fieldErrors);
      setProblems(mapped.formErrors);
    }
  };

  /** A field edited: its error goes. */
  const clearError = (field: F) => setErrors((e) => ({ ...e, [field]: undefined }));

  return { errors, problems, submit, clearError };
}
