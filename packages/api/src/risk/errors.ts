/** Errors of the risk module: a caller mistake (unknown account, bad input), never a market state. */

export type RiskErrorCode =
  | 'UNKNOWN_ACCOUNT'
  | 'UNKNOWN_POSITION'
  | 'UNKNOWN_SYMBOL'
  | 'UNKNOWN_GROUP'
  | 'ACCOUNT_EXISTS'
  | 'POSITION_EXISTS'
  | 'INVALID_INPUT'
  | 'INVALID_QUOTE'
  | 'NO_RATE';

export class RiskError extends Error {
  constructor(
    readonly code: RiskErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RiskError';
  }
}

export interface RiskConfigIssue {
  /** Field path as zod reports it, e.g. ["leverage", "FX_MAJOR"]; [] for the whole object. */
  path: string[];
  message: string;
}

/** An invalid risk group or margin change; `issues` carries one entry per problem with its field path. */
export class RiskConfigError extends Error {
  readonly code = 'RISK_CONFIG_INVALID';
  constructor(
    readonly issues: RiskConfigIssue[],
    what = 'risk group',
  ) {
    super(
      `Invalid ${what}: ${issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ')}`,
    );
    this.name = 'RiskConfigError';
  }
}
