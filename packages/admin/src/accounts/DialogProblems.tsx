import { Alert } from '@mantine/core';

/**
 * A staff dialog's problems from the API that belong to no field, above its buttons: a CONFLICT
 * (the action no longer applies) under `conflictTitle`, anything else as an error.
 * Test ids: `<testId>-conflict` and `<testId>-error`.
 */
export function DialogProblems({
  problems,
  conflictTitle,
  testId,
}: {
  problems: readonly { code: string; message: string }[];
  conflictTitle: string;
  testId: string;
}) {
  const conflict = problems.find((p) => p.code === 'CONFLICT');
  return (
    <>
      {conflict && (
        <Alert color="orange" role="alert" title={conflictTitle} data-testid={`${testId}-conflict`}>
          {conflict.message}
        </Alert>
      )}
      {problems
        .filter((p) => p !== conflict)
        .map((p) => (
          <Alert key={`${p.code}:${p.message}`} color="red" role="alert" data-testid={`${testId}-error`}>
            {p.message}
          </Alert>
        ))}
    </>
  );
}
