import { TollgateError } from "../../src/errors/index.js";

/**
 * An answer the sandbox gives the way HubSpot does: `{status: "error", message, correlationId,
 * category, …}` with the HTTP status. `category` is HubSpot's (`VALIDATION_ERROR`,
 * `OBJECT_NOT_FOUND`, `OBJECT_ALREADY_EXISTS`, `INVALID_AUTHENTICATION`, …).
 */
export class SandboxApiError extends TollgateError {
  readonly status: number;
  readonly category: string;
  readonly extra: Record<string, unknown>;

  constructor(status: number, category: string, message: string, extra: Record<string, unknown> = {}) {
    super("sandbox_api_error", message, { httpStatus: status, details: { category, ...extra } });
    this.status = status;
    this.category = category;
    this.extra = extra;
  }
}
