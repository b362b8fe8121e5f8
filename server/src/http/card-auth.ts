import express, { type Request, type RequestHandler } from "express";
import type { ApiKeyRole } from "../config/index.js";
import type { CrmUser } from "../crm/index.js";
import { ForbiddenError, TollgateError, UnauthorizedError } from "../errors/index.js";
import { verifyHubSpotSignatureV3, type SignatureFailure } from "../webhooks/index.js";
import { requireRole, type Principal } from "./authenticate.js";
import {
  SALESFORCE_SIGNATURE_HEADER,
  verifySalesforceCardRequest,
  type SalesforceCardAuthOptions,
} from "./salesforce-card-auth.js";

/**
 * The CRM user and record a card request comes from: for HubSpot, read from the parameters
 * HubSpot appends; for Salesforce, from the Apex controller's signed body.
 */
export interface CardContext {
  portalId: string;
  userId: string;
  userEmail?: string | undefined;
  /** The record the card is shown on (the card's own parameter); a card acts on that record only. */
  objectId?: string | undefined;
  /** The CRM's own record of the user, read for routes that decide (approver groups). */
  user?: CrmUser | undefined;
  /** Which CRM's card sent it (`portalId` is then the Salesforce org id). @defaultValue "hubspot" */
  crm?: "hubspot" | "salesforce" | undefined;
}

declare module "express-serve-static-core" {
  interface Request {
    /** The body's exact bytes, when `jsonWithRawBody` parsed it. */
    rawBody?: Buffer;
    /** Set for a verified card request. */
    card?: CardContext;
  }
}

export interface CardAuthOptions {
  /** `HUBSPOT_CLIENT_SECRET`: HubSpot signs card requests with it (v3). Unset: HubSpot cards are refused. */
  clientSecret?: string | undefined;
  /** `HUBSPOT_APP_ID`: the `appId` HubSpot appends must be Tollgate's own. Unset: HubSpot cards are refused. */
  appId?: string | undefined;
  /** Whether Tollgate is installed in a portal; a HubSpot card from any other portal is refused. */
  isInstalled?: ((portalId: string) => Promise<boolean>) | undefined;
  /** The Salesforce org whose Apex card requests are accepted (docs/contracts.md). */
  salesforce?: SalesforceCardAuthOptions | undefined;
  /** `TOLLGATE_PUBLIC_URL`: the base URL HubSpot called; the signature covers the full URL. */
  publicUrl: string;
  /**
   * `TOLLGATE_DEV_PROXY_URL`, development only: `hs project dev`'s proxy signs the local URL it
   * forwards to, undecoded (`@hubspot/ui-extensions-dev-server` `signing.js` calls the SDK's
   * `Signature.getSignature`), so a card signature over this URL is accepted too. Unset: never.
   */
  devProxyUrl?: string | undefined;
  /**
   * The CRM's own record of a card's user (cached ≤ 5 minutes by the caller), for either CRM;
   * needed to decide approvals. CRM-neutral: approver groups are checked against what it returns.
   */
  getUser?: ((card: CardContext) => Promise<CrmUser | undefined>) | undefined;
  /**
   * The Tollgate role of a card user whose CRM record was read (routes `withUser`), from the
   * policy (`cardRoleOf`: approver groups named `owner`, `revops_admin`, `operator`). Unset:
   * every card user is an `approver`.
   */
  roleOf?: ((card: CardContext) => ApiKeyRole) | undefined;
  /** Epoch ms. @defaultValue Date.now */
  now?: () => number;
}

export type CardFailure = SignatureFailure | "no_identity" | "identity_repeated" | "wrong_app";

/** 401: a card request whose v3 signature or identity does not hold. Nothing was done. */
export class CardSignatureError extends TollgateError {
  constructor(reason: CardFailure, message?: string, details: Record<string, unknown> = {}) {
    super("card_signature_invalid", message ?? `HubSpot v3 signature check failed: ${reason}`, {
      httpStatus: 401,
      details: { reason, ...details },
    });
  }
}

/** 403: a signed card from a portal where Tollgate is not installed. */
export class PortalNotInstalledError extends TollgateError {
  constructor(portalId: string) {
    super("portal_not_installed", `Tollgate is not installed in portal ${portalId}`, {
      httpStatus: 403,
      details: { portalId },
    });
  }
}

/** 503: the CRM could not tell who the user is, so approver groups cannot be checked. Fails closed. */
export class CrmUserUnavailableError extends TollgateError {
  constructor(message: string) {
    super("crm_user_unavailable", `could not read your CRM user to check approver groups: ${message}`, {
      httpStatus: 503,
    });
  }
}

const SIGNATURE_HEADER = "x-hubspot-signature-v3";
const TIMESTAMP_HEADER = "x-hubspot-request-timestamp";
/** What HubSpot appends to every `hubspot.fetch` URL (docs/contracts.md, card identity). */
export const CARD_IDENTITY_PARAMS = ["userId", "portalId", "userEmail", "appId"] as const;
/** Parameters that scope a request and so may appear once at most. */
const SINGLE_PARAMS = [...CARD_IDENTITY_PARAMS, "objectId", "tenantId"] as const;

/**
 * `express.json` that keeps the exact bytes in `req.rawBody`, so the signature is checked over
 * what HubSpot sent. Mount it ahead of the app's own JSON parser (the routers take it); behind
 * it the body is already parsed and `verifyCardRequest` falls back to re-serialising.
 */
export const jsonWithRawBody: RequestHandler = express.json({
  limit: "1mb",
  verify: (req, _res, buf) => {
    (req as unknown as Request).rawBody = Buffer.from(buf);
  },
});

export const isCardRequest = (req: Request): boolean =>
  req.get(SIGNATURE_HEADER) !== undefined || req.get(SALESFORCE_SIGNATURE_HEADER) !== undefined;

function checkSignature(options: CardAuthOptions & { clientSecret: string }, req: Request): void {
  const bodies: Buffer[] = [];
  if (req.rawBody) bodies.push(req.rawBody);
  if (req.body !== undefined && req.body !== null && typeof req.body === "object") {
    const reserialised = Buffer.from(JSON.stringify(req.body), "utf8");
    if (!req.rawBody || !reserialised.equals(req.rawBody)) bodies.push(reserialised);
  }
  if (bodies.length === 0) bodies.push(Buffer.alloc(0));
  const urls = [{ base: options.publicUrl, decodeUri: true }];
  if (options.devProxyUrl) urls.push({ base: options.devProxyUrl, decodeUri: false });
  let failure: SignatureFailure = "bad_signature";
  const ok = urls.some(({ base, decodeUri }) =>
    bodies.some((rawBody) => {
      const check = verifyHubSpotSignatureV3({
        clientSecret: options.clientSecret,
        method: req.method,
        publicUrl: base.replace(/\/+$/, "") + req.originalUrl,
        decodeUri,
        rawBody,
        signature: req.get(SIGNATURE_HEADER),
        timestamp: req.get(TIMESTAMP_HEADER),
        now: (options.now ?? Date.now)(),
      });
      if (!check.ok && failure === "bad_signature") failure = check.reason;
      return check.ok;
    }),
  );
  if (!ok) throw new CardSignatureError(failure);
}

/**
 * The query as signed, each scoping parameter at most once. Read from the raw URL, not from
 * express's parsed query, so `userId=7&userId=8` (a card naming an identity that HubSpot then
 * appends again) is seen as the two values it is, whatever order they come in.
 * @throws CardSignatureError `identity_repeated`
 */
export function readCardQuery(originalUrl: string): Map<string, string> {
  const at = originalUrl.indexOf("?");
  const params = new URLSearchParams(at < 0 ? "" : originalUrl.slice(at + 1));
  const out = new Map<string, string>();
  for (const name of SINGLE_PARAMS) {
    const values = params.getAll(name);
    if (values.length > 1)
      throw new CardSignatureError(
        "identity_repeated",
        `a card request may name ${name} once; it named it ${values.length} times`,
        { param: name },
      );
    if (values[0] !== undefined && values[0] !== "") out.set(name, values[0]);
  }
  return out;
}

function signedPortals(originalUrl: string): string[] {
  const at = originalUrl.indexOf("?");
  return new URLSearchParams(at < 0 ? "" : originalUrl.slice(at + 1))
    .getAll("portalId")
    .filter((p) => /^\d{1,20}$/.test(p));
}

/**
 * Verifies a card's `hubspot.fetch` request and returns who sent it (docs/contracts.md, card
 * identity). HubSpot signs v3 over METHOD + full URL + body + timestamp (HubSpot:
 * https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/fetching-data);
 * the URL is `TOLLGATE_PUBLIC_URL` + the path and query as received. The body is tried as
 * received (`req.rawBody`) and, when that differs or was not kept, as `JSON.stringify(req.body)` —
 * what HubSpot's dev proxy signs. Identity comes only from the parameters HubSpot appends, each
 * exactly once; `appId` must be Tollgate's and the portal one where Tollgate is installed.
 * @throws CardSignatureError (401), PortalNotInstalledError (403)
 */
export async function verifyCardRequest(
  options: CardAuthOptions,
  req: Request,
): Promise<{ principal: Principal; card: CardContext }> {
  const { clientSecret, appId, isInstalled } = options;
  if (!clientSecret || !appId || !isInstalled)
    throw new UnauthorizedError(
      "HubSpot card requests are not accepted: HUBSPOT_CLIENT_SECRET and HUBSPOT_APP_ID are not both set",
    );
  checkSignature({ ...options, clientSecret }, req);
  // The signature held: whatever is refused from here on is audited in the portals it names.
  req.signedPortalIds = signedPortals(req.originalUrl);
  const query = readCardQuery(req.originalUrl);
  const portalId = query.get("portalId");
  const userId = query.get("userId");
  if (!portalId || !/^\d+$/.test(portalId) || !userId || !/^\d+$/.test(userId)) {
    throw new CardSignatureError("no_identity", "a card request must carry numeric portalId and userId parameters");
  }
  if (query.get("appId") !== appId)
    throw new CardSignatureError("wrong_app", "this card request was not made by Tollgate's app");
  if (!(await isInstalled(portalId))) throw new PortalNotInstalledError(portalId);
  const userEmail = query.get("userEmail");
  return {
    card: { portalId, userId, userEmail, objectId: query.get("objectId"), crm: "hubspot" },
    principal: {
      via: "hubspot_card",
      role: "approver",
      name: userEmail ?? `hubspot:user:${userId}`,
      tenantId: portalId,
    },
  };
}

/**
 * Accepts EITHER a signed card request — HubSpot's (`X-HubSpot-Signature-v3`) or a Salesforce
 * Apex controller's (`X-Tollgate-Signature`); a request carrying one is held to it, never to an
 * API key — OR an API key with one of `roles`. With `withUser`, the CRM's own record of the card
 * user is read (approver groups are checked against it when they decide); when it cannot be
 * read the request fails closed.
 */
export function authorizeCardOrKey(options: {
  authenticate: (header: string | undefined) => Principal | undefined;
  card?: CardAuthOptions | undefined;
  roles: readonly ApiKeyRole[];
  withUser?: boolean;
}): RequestHandler {
  const byKey = requireRole(options.authenticate, options.roles);
  return (req, res, next) => {
    if (!isCardRequest(req)) return byKey(req, res, next);
    const card = options.card;
    if (!card)
      return next(new UnauthorizedError("card requests are not accepted: no CRM's card signing is configured"));
    authorizeCard(card, req, options.roles, options.withUser ?? false).then(
      () => next(),
      (err: unknown) => next(err),
    );
  };
}

async function verifyEitherCard(
  options: CardAuthOptions,
  req: Request,
): Promise<{ principal: Principal; card: CardContext }> {
  if (req.get(SALESFORCE_SIGNATURE_HEADER) === undefined) return verifyCardRequest(options, req);
  if (!options.salesforce)
    throw new UnauthorizedError("Salesforce card requests are not accepted: no org is connected");
  const verified = verifySalesforceCardRequest(options.salesforce, req);
  // The acting user travels in a Salesforce card's signed body; the route reads only its own fields.
  if (req.body && typeof req.body === "object") {
    const body = req.body as Record<string, unknown>;
    delete body["orgId"];
    delete body["userId"];
  }
  return verified;
}

async function authorizeCard(
  options: CardAuthOptions,
  req: Request,
  roles: readonly ApiKeyRole[],
  withUser: boolean,
): Promise<void> {
  const { principal, card } = await verifyEitherCard(options, req);
  if (withUser) {
    if (!options.getUser) throw new CrmUserUnavailableError("this CRM connection cannot read users");
    try {
      card.user = await options.getUser(card);
    } catch (err) {
      throw new CrmUserUnavailableError((err as Error).message);
    }
    if (options.roleOf) principal.role = options.roleOf(card);
  }
  if (!roles.includes(principal.role))
    throw new ForbiddenError(`a card may not ${req.method} ${req.path}`, { allowedRoles: roles });
  req.principal = principal;
  req.card = card;
}
