// The engine's one error type. The code is stable and is what programs test; the message is English
// for logs and the command line; messages.ts turns a code (and its details) into Chinese for the UI.

export type ErrorCode =
  /** A parameter was asked for a date (or wage year) that no value covers. */
  | 'not-in-force'
  /** The case facts break the input rules (determination-format.md); `problems` lists them. */
  | 'invalid-case'
  /** The county code is not one of the region's county-level units. */
  | 'unknown-county'
  /** An ID number that is not a valid GB 11643 number where a valid one is required. */
  | 'invalid-id-number'
  /** A parameter set that does not validate; `problems` lists why. */
  | 'invalid-parameters'
  /** No rule set governs the placement county at the application's date. */
  | 'no-rule-set';

/** One problem with an input, named by its field path (`person.femaleCategory`). */
export interface Problem {
  path: string;
  message: string;
}

export interface ErrorDetails {
  problems?: Problem[];
  /** For `not-in-force`: the parameter's stable name (`wage.region.2030`, `rate.pension.unit`). */
  parameter?: string;
  /** For a missing wage: the wage year. */
  year?: number;
  /** For `not-in-force`: the month asked for (`YYYY-MM`). */
  month?: string;
  /** For `not-in-force`: the first month the parameter has a value for, if any. */
  firstFrom?: string;
  /** The input field the problem is traced to. */
  path?: string;
}

export class JiexuError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'JiexuError';
    this.code = code;
    this.details = details;
  }

  /** One `field.path: what is wrong` line per problem (English), as the command line prints them. */
  lines(): string[] {
    if (this.details.problems && this.details.problems.length > 0) {
      return this.details.problems.map((p) => `${p.path}: ${p.message}`);
    }
    return [this.details.path ? `${this.details.path}: ${this.message}` : this.message];
  }
}

export function isJiexuError(e: unknown): e is JiexuError {
  return e instanceof JiexuError;
}
