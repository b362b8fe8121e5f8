import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import { TollgateError } from "../errors/index.js";
import type { Logger } from "../observability/index.js";

/**
 * docs/contracts.md#http-api: every error is `{ error: { code, message, details } }`, never a stack trace.
 * `onRefused` hears every 401/403 first (to audit it); its failure never changes the answer.
 */
export function createErrorHandler(
  logger: Logger,
  onRefused?: (req: Request, err: unknown) => Promise<void>,
): ErrorRequestHandler {
  return async (err, req, res, _next) => {
    const body = toErrorBody(err, req.requestId);
    if (body.status >= 500) logger.error({ err, requestId: req.requestId }, "request failed");
    if (onRefused && (body.status === 401 || body.status === 403)) {
      await onRefused(req, err).catch((e: unknown) =>
        logger.warn({ err: (e as Error).message, requestId: req.requestId }, "could not audit a refused request"),
      );
    }
    if (res.headersSent) return;
    res.status(body.status).json({ error: body.error });
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res
    .status(404)
    .json({ error: { code: "not_found", message: `no route for ${req.method} ${req.path}`, details: null } });
};

function toErrorBody(
  err: unknown,
  requestId: string | undefined,
): { status: number; error: { code: string; message: string; details: unknown } } {
  if (err instanceof TollgateError) {
    return { status: err.httpStatus, error: { code: err.code, message: err.message, details: err.details ?? null } };
  }
  // body-parser marks its own failures with `type` and `status` (malformed JSON, too large, bad charset).
  const e = err as { type?: string; status?: number; message?: string };
  if (e && typeof e.status === "number" && e.status >= 400 && e.status < 500) {
    const code =
      e.type === "entity.parse.failed"
        ? "invalid_json"
        : e.type === "entity.too.large"
          ? "payload_too_large"
          : "bad_request";
    return {
      status: e.status,
      error: {
        code,
        message: code === "invalid_json" ? "the request body is not valid JSON" : (e.message ?? code),
        details: null,
      },
    };
  }
  return {
    status: 500,
    error: {
      code: "internal",
      message: "internal error; the request id is in details",
      details: { requestId: requestId ?? null },
    },
  };
}
