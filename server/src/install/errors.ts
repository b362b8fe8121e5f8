import { TollgateError } from "../errors/index.js";

/**
 * Install failures, each with a stable code. Messages never carry a token, a code from the
 * OAuth redirect, or a ciphertext: they end up on HTML pages and in logs.
 */

/** A ciphertext could not be decrypted: malformed, unknown key, or altered. */
export class TokenDecryptError extends TollgateError {
  constructor(reason: "malformed" | "unknown_key" | "tampered", message: string) {
    super("token_decrypt_failed", message, { httpStatus: 500, details: { reason } });
  }
}

export type OAuthStateProblem = "missing" | "unknown" | "used" | "expired" | "other_browser";

const STATE_MESSAGES: Record<OAuthStateProblem, string> = {
  missing: "The install link is missing its state parameter. Start the install again.",
  unknown: "The install link was not issued by this Tollgate server. Start the install again.",
  used: "This install link has already been used. Start the install again.",
  expired: "This install link has expired (links last 10 minutes). Start the install again.",
  other_browser:
    "This install was not started in this browser (its cookie is missing or differs). Start the install again here.",
};

/** The OAuth `state` is not one we issued, was used already, or expired (CSRF protection). */
export class OAuthStateError extends TollgateError {
  readonly reason: OAuthStateProblem;
  constructor(reason: OAuthStateProblem) {
    super("oauth_state_invalid", STATE_MESSAGES[reason], { httpStatus: 400, details: { reason } });
    this.reason = reason;
  }
}

/** HubSpot redirected back with `?error=` (the user declined, or the app is misconfigured). */
export class OAuthDeniedError extends TollgateError {
  constructor(error: string, description: string | undefined) {
    super("oauth_denied", `HubSpot did not authorise the install: ${description ?? error}`, {
      httpStatus: 400,
      details: { error },
    });
  }
}

/** The callback lacks `code`: nothing to exchange. */
export class OAuthCallbackError extends TollgateError {
  constructor(message: string) {
    super("oauth_callback_invalid", message, { httpStatus: 400 });
  }
}

/**
 * HubSpot's token endpoint refused or failed. `details` holds HubSpot's own error code and
 * message (never the request body, which carries the client secret).
 */
export class OAuthTokenError extends TollgateError {
  readonly status: number | undefined;
  constructor(
    grant: "authorization_code" | "refresh_token" | "token_info" | "revoke",
    options: { status?: number; error?: string; description?: string; cause?: unknown },
  ) {
    const what =
      grant === "authorization_code"
        ? "exchange the install code"
        : grant === "refresh_token"
          ? "refresh the access token"
          : grant === "revoke"
            ? "revoke the refresh token"
            : "read the token's portal";
    const why = options.description ?? options.error ?? (options.status ? `HTTP ${options.status}` : "no answer");
    super(
      grant === "refresh_token" ? "oauth_refresh_failed" : "oauth_token_exchange_failed",
      `HubSpot would not ${what}: ${why}`,
      {
        httpStatus: 502,
        details: { grant, status: options.status, error: options.error },
        cause: options.cause,
      },
    );
    this.status = options.status;
  }
}

export type NotInstalledReason = "never_installed" | "uninstalled" | "reauth_required" | "other_auth_mode";

const NOT_INSTALLED_MESSAGES: Record<NotInstalledReason, (tenantId: string) => string> = {
  never_installed: (t) => `Tollgate is not installed in portal ${t}.`,
  uninstalled: (t) => `Tollgate was uninstalled from portal ${t}.`,
  reauth_required: (t) => `HubSpot refused Tollgate's refresh token for portal ${t}; reinstall the app.`,
  other_auth_mode: (t) => `Portal ${t} is connected as a private app, not through OAuth.`,
};

/** No usable installation for the tenant. */
export class NotInstalledError extends TollgateError {
  readonly reason: NotInstalledReason;
  constructor(tenantId: string, reason: NotInstalledReason) {
    super("not_installed", NOT_INSTALLED_MESSAGES[reason](tenantId), {
      httpStatus: 404,
      details: { tenantId, reason },
    });
    this.reason = reason;
  }
}

/** The generated webhook subscriptions exceed HubSpot's per-app cap. */
export class WebhookSubscriptionCapError extends TollgateError {
  constructor(count: number, cap: number) {
    super(
      "webhook_subscription_cap_exceeded",
      `The policy needs ${count} webhook subscriptions, above HubSpot's cap of ${cap} per app; govern fewer fields or objects.`,
      { httpStatus: 400, details: { count, cap } },
    );
  }
}
