import type { Request } from "express";
import { getSalesforceCardSigningBytes } from "../../../shared/index.js";
import { TollgateError } from "../errors/index.js";
import { verifyTollgateSignature } from "../webhooks/index.js";
import type { Principal } from "./authenticate.js";
import type { CardContext } from "./card-auth.js";

export const SALESFORCE_SIGNATURE_HEADER = "x-tollgate-signature";
export const SALESFORCE_CONTEXT_HEADER = "x-tollgate-context";

export interface SalesforceCardAuthOptions {
  /** The installed org (`00D…`); its cards act for it only. */
  orgId: string;
  /** The org's secret (`SALESFORCE_WEBHOOK_SECRET` in static-token mode). */
  secret: string;
  /** @defaultValue Date.now */
  now?: () => number;
}

/** 401 / 403 for a Salesforce card request (docs/contracts.md, Salesforce card requests). */
export class SalesforceCardError extends TollgateError {
  constructor(code: "signature_invalid" | "org_not_installed" | "no_identity", message: string, status = 401) {
    super(code, message, { httpStatus: status, details: { reason: code } });
  }
}

const ORG_ID = /^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;
const USER_ID = /^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;

/**
 * Verifies a card request the Apex controller sent through the `Tollgate` Named Credential and
 * returns who sent it: `X-Tollgate-Signature` over `t.METHOD path.body` (for a GET, `body` is
 * the `X-Tollgate-Context` header), 5-minute window, then the acting user from that signed JSON
 * (`{orgId, userId}`), whose org must be the installed one. Nothing is read before the
 * signature holds.
 * @throws SalesforceCardError
 */
export function verifySalesforceCardRequest(
  options: SalesforceCardAuthOptions,
  req: Request,
): { principal: Principal; card: CardContext } {
  const signedBody =
    req.method === "GET" || req.method === "HEAD"
      ? Buffer.from(req.get(SALESFORCE_CONTEXT_HEADER) ?? "", "utf8")
      : (req.rawBody ?? Buffer.from(req.body === undefined ? "" : JSON.stringify(req.body), "utf8"));
  const check = verifyTollgateSignature({
    header: req.get(SALESFORCE_SIGNATURE_HEADER),
    signedString: (t) =>
      getSalesforceCardSigningBytes({ timestamp: t, method: req.method, path: req.originalUrl, body: signedBody }),
    secret: options.secret,
    now: (options.now ?? Date.now)(),
  });
  if (!check.ok)
    throw new SalesforceCardError("signature_invalid", `Salesforce card signature check failed: ${check.reason}`);
  let context: { orgId?: unknown; userId?: unknown };
  try {
    context = JSON.parse(signedBody.toString("utf8") || "{}") as typeof context;
  } catch {
    throw new SalesforceCardError("no_identity", "the signed body is not JSON");
  }
  const orgId = typeof context.orgId === "string" ? context.orgId : "";
  const userId = typeof context.userId === "string" ? context.userId : "";
  if (!ORG_ID.test(orgId) || !USER_ID.test(userId))
    throw new SalesforceCardError(
      "no_identity",
      "a card request must carry the acting orgId and userId in its signed body",
    );
  if (orgId.slice(0, 15) !== options.orgId.slice(0, 15))
    throw new SalesforceCardError("org_not_installed", `org ${orgId} is not installed`, 403);
  return {
    card: { portalId: options.orgId, userId, crm: "salesforce" },
    principal: { via: "salesforce_card", role: "approver", name: `salesforce:user:${userId}`, tenantId: options.orgId },
  };
}
