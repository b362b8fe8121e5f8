import { TollgateError } from "../errors/index.js";
import type { SignatureFailure } from "./verify.js";

/** 401: the request is unsigned, stale, or signed with another secret. Nothing was processed. */
export class WebhookSignatureError extends TollgateError {
  constructor(reason: SignatureFailure) {
    super("webhook_signature_invalid", `HubSpot v3 signature check failed: ${reason}`, {
      httpStatus: 401,
      details: { reason },
    });
  }
}

/** 503: the batch could not be queued durably; HubSpot retries it. */
export class QueueUnavailableError extends TollgateError {
  constructor(cause: unknown) {
    super("queue_unavailable", "the webhook queue is unavailable; retry later", { httpStatus: 503, cause });
  }
}

export class MethodNotAllowedError extends TollgateError {
  constructor(method: string) {
    super("method_not_allowed", `${method} is not allowed here; HubSpot webhooks are POSTed`, { httpStatus: 405 });
  }
}

export class UnsupportedMediaTypeError extends TollgateError {
  constructor(contentType: string | undefined) {
    super(
      "unsupported_media_type",
      `expected application/json, got ${contentType ? JSON.stringify(contentType) : "no content type"}`,
      { httpStatus: 415 },
    );
  }
}
