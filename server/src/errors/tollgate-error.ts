/**
 * Every error Tollgate raises on purpose carries a stable `code`, the HTTP status it maps to,
 * and optional structured `details`. `http/` turns it into
 * `{ "error": { "code", "message", "details" } }` (docs/contracts.md#http-api); callers branch on `code` or
 * `instanceof`, never on message text.
 */
export class TollgateError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly details: unknown;

  constructor(
    code: string,
    message: string,
    options: { httpStatus?: number; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = this.constructor.name;
    this.code = code;
    this.httpStatus = options.httpStatus ?? 500;
    this.details = options.details;
  }
}

/** Input that does not match a schema or a rule: nothing was changed. */
export class ValidationError extends TollgateError {
  constructor(message: string, details?: unknown) {
    super("validation_failed", message, { httpStatus: 400, details });
  }
}

export class NotFoundError extends TollgateError {
  constructor(message: string, details?: unknown) {
    super("not_found", message, { httpStatus: 404, details });
  }
}

export class UnauthorizedError extends TollgateError {
  constructor(message = "missing or unknown credentials", details?: unknown) {
    super("unauthorized", message, { httpStatus: 401, details });
  }
}

export class ForbiddenError extends TollgateError {
  constructor(message: string, details?: unknown) {
    super("forbidden", message, { httpStatus: 403, details });
  }
}

export class ConflictError extends TollgateError {
  constructor(message: string, details?: unknown) {
    super("conflict", message, { httpStatus: 409, details });
  }
}

/** Start-up configuration is missing or invalid; the message is one line naming the variable. */
export class ConfigError extends TollgateError {
  constructor(message: string, details?: unknown) {
    super("config_invalid", message, { httpStatus: 500, details });
  }
}
