import express, { type ErrorRequestHandler, type RequestHandler, type Response, type Router } from "express";
import { TollgateError, ValidationError } from "../errors/index.js";
import {
  MethodNotAllowedError,
  QueueUnavailableError,
  UnsupportedMediaTypeError,
  WebhookSignatureError,
} from "./errors.js";
import { validateHubSpotBatch } from "./parse-hubspot-batch.js";
import type { HubSpotWebhookResponse, HubSpotWebhookRouterOptions } from "./types.js";
import { verifyHubSpotSignatureV3 } from "./verify.js";

const SIGNATURE_HEADER = "x-hubspot-signature-v3";
const TIMESTAMP_HEADER = "x-hubspot-request-timestamp";

function sendError(res: Response, err: TollgateError): void {
  // docs/contracts.md#http-api: one error shape, never a stack trace.
  res.status(err.httpStatus).json({ error: { code: err.code, message: err.message, details: err.details ?? null } });
}

/**
 * `POST /webhooks/hubspot` (docs/contracts.md#http-api). Mount it before any JSON parser: it reads the raw
 * bytes itself, because the v3 signature covers them exactly.
 *
 * Checks run in a fixed order, each with its own status, and a request failing one never
 * reaches the next (webhooks.js `create-middleware.ts` does the same):
 * method 405 → content type 415 → signature headers 401 → signature and timestamp 401 →
 * JSON 400 → schema 400 → receipt committed (503 if PostgreSQL fails; the job follows the 200) →
 * 200 `{accepted, duplicates, rejected}`.
 * The body is read only after the cheap header checks, so unsigned floods cost no buffering.
 *
 * Invalid events inside a valid, signed batch: the valid ones are accepted and the invalid
 * ones are listed in the 200 body as `rejected` (and logged). HubSpot retries any 4xx for
 * 24 hours with the same bytes, so refusing the batch would hold its valid changes back a
 * day and then lose them with the bad one; the signature already proved HubSpot sent it,
 * so there is nothing to distrust. Only when no event at all is usable (wrong envelope, or
 * every event invalid) is the batch refused with 400: there is nothing to accept, and the
 * failure shows in HubSpot's delivery log.
 *
 * @example
 * app.use(createHubSpotWebhookRouter({ clientSecret, publicUrl: config.publicUrl, receiver, logger }));
 */
export function createHubSpotWebhookRouter(options: HubSpotWebhookRouterOptions): Router {
  const { clientSecret, publicUrl, receiver, logger } = options;
  const now = options.now ?? Date.now;
  const base = publicUrl.replace(/\/+$/, "");
  const router = express.Router();

  const checkMethod: RequestHandler = (req, res, next) => {
    if (req.method === "POST") return next();
    res.setHeader("Allow", "POST");
    sendError(res, new MethodNotAllowedError(req.method));
  };

  const checkContentType: RequestHandler = (req, res, next) => {
    const type = req.get("content-type");
    if (type?.split(";")[0]?.trim().toLowerCase() === "application/json") return next();
    sendError(res, new UnsupportedMediaTypeError(type));
  };

  const checkHeaders: RequestHandler = (req, res, next) => {
    if (!req.get(SIGNATURE_HEADER)) return sendError(res, new WebhookSignatureError("missing_signature"));
    if (!req.get(TIMESTAMP_HEADER)) return sendError(res, new WebhookSignatureError("missing_timestamp"));
    next();
  };

  // Every type: the content type was checked above, and the signature needs the bytes as sent.
  const readRaw = express.raw({ type: () => true, limit: options.limit ?? "1mb" });

  const handle: RequestHandler = async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.get(SIGNATURE_HEADER);
    const check = verifyHubSpotSignatureV3({
      clientSecret,
      method: req.method,
      publicUrl: base + req.originalUrl,
      rawBody,
      signature,
      timestamp: req.get(TIMESTAMP_HEADER),
      now: now(),
    });
    if (!check.ok) {
      logger?.warn({ reason: check.reason, url: req.originalUrl }, "refused an unverified HubSpot webhook");
      return sendError(res, new WebhookSignatureError(check.reason));
    }

    const text = rawBody.toString("utf8");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return sendError(
        res,
        new TollgateError("invalid_json", "the request body is not valid JSON", { httpStatus: 400 }),
      );
    }

    const parsed = validateHubSpotBatch(body);
    if (!parsed.ok)
      return sendError(
        res,
        new ValidationError("not a HubSpot webhook batch: expected an array of 1 to 1000 events", {
          issues: parsed.issues,
        }),
      );
    if (parsed.events.length === 0) {
      return sendError(
        res,
        new ValidationError("no event of the batch is valid", {
          issues: parsed.rejected.flatMap((r) => r.issues),
          rejected: parsed.rejected,
        }),
      );
    }
    if (parsed.rejected.length > 0)
      logger?.warn({ rejected: parsed.rejected }, "accepted a HubSpot batch without its invalid events");

    let result;
    try {
      // The verified signature names the delivery: unique to this body and timestamp.
      result = await receiver.receiveBatch({
        text,
        events: parsed.events,
        ...(signature ? { delivery: signature } : {}),
      });
    } catch (err) {
      const failure = err instanceof TollgateError ? err : new QueueUnavailableError(err);
      logger?.error({ err }, "could not queue a HubSpot webhook batch; HubSpot will retry");
      return sendError(res, failure);
    }
    const response: HubSpotWebhookResponse = {
      accepted: result.accepted,
      duplicates: result.duplicates,
      rejected: parsed.rejected,
    };
    // Written out rather than res.json(): express would hash the body for an ETag no webhook
    // sender reads, on every batch.
    const json = JSON.stringify(response);
    res.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(json),
    });
    res.end(json);
  };

  router.all(options.path ?? "/webhooks/hubspot", checkMethod, checkContentType, checkHeaders, readRaw, handle);

  // Failures of the raw reader (too large, aborted, bad encoding) in the same error shape.
  const onError: ErrorRequestHandler = (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof TollgateError) return sendError(res, err);
    const e = err as { status?: number; type?: string };
    if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) {
      const code = e.type === "entity.too.large" ? "payload_too_large" : "bad_request";
      return sendError(
        res,
        new TollgateError(
          code,
          code === "payload_too_large" ? "the webhook body is too large" : "the webhook body could not be read",
          { httpStatus: e.status },
        ),
      );
    }
    logger?.error({ err }, "HubSpot webhook failed");
    sendError(res, new TollgateError("internal", "internal error", { httpStatus: 500 }));
  };
  router.use(onError);
  return router;
}
