/**
 * Error codes that cross the API boundary. Messages are Russian and written for the user:
 * they say what happened and what to do next. They never carry personal data or secrets.
 */
export const ERROR_CODES = [
  'unknown_method',
  'invalid_params',
  'no_session',
  'screen_locked',
  'forbidden',
  'bad_credentials',
  'account_locked',
  'not_found',
  'conflict',
  'refused',
  'cancelled',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  /** Per-field problems, for forms: field name → Russian message. */
  fields?: Record<string, string>;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  constructor(code: ErrorCode, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.fields = fields;
  }
  toBody(): ApiErrorBody {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

export type ApiResponse<T> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };
