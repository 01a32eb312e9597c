import { validate, type ValidationError } from 'class-validator';
import { badInput, type FieldProblem } from './errors';

function flatten(errors: ValidationError[], prefix: string[]): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = [...prefix, error.property];
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Validates an input object with its class-validator decorators and throws BAD_USER_INPUT listing
 * every problem with its field path (e.g. ['input', 'timeZone']). Services call this, so the same
 * rules hold for GraphQL, the seed and any future caller.
 */
export async function assertValid(input: object, pathPrefix: string[]): Promise<void> {
  const errors = await validate(input, { forbidUnknownValues: false, skipMissingProperties: false });
  if (errors.length > 0) throw badInput(flatten(errors, pathPrefix));
}
