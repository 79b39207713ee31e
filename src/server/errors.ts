/**
 * An error the API reports to its client: a stable machine-readable code, an English message and an
 * HTTP status. The tablet turns the code into Chinese; the message is for logs and administrators.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly statusCode: number;
  /** Extra fields of the error body: `problems` (one per field), `expectedSeq`, `supported`, `retryAfterSeconds`. */
  readonly details: ErrorDetails;

  constructor(statusCode: number, code: string, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(message, options);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = statusCode;
    this.details = options?.details ?? {};
  }
}

export interface ErrorDetails {
  problems?: { path: string; message: string }[];
  expectedSeq?: number;
  supported?: number[];
  /** For `too-many-attempts` (429): also sent as the Retry-After header. */
  retryAfterSeconds?: number;
}

export interface ErrorBody {
  error: { code: string; message: string } & ErrorDetails;
}

export function errorBody(code: string, message: string, details: ErrorDetails = {}): ErrorBody {
  return { error: { code, message, ...details } };
}

/**
 * A problem that stops the program from starting (bad configuration, unreadable TLS file, a database
 * it must not touch). The command line prints the message and exits non-zero.
 */
export class StartupError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
    this.code = code;
  }
}
