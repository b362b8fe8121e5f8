import express, { type Request, type RequestHandler } from "express";
import type { ApiKeyRole } from "../config/index.js";
import { ForbiddenError, TollgateError, UnauthorizedError } from "../errors/index.js";
import { verifyHubSpotSignatureV3, type SignatureFailure } from "../webhooks/index.js";
import { requireRole, type Principal } from "./authenticate.js";
import {
  SALESFORCE_SIGNATURE_HEADER,
  verifySalesforceCardRequest,
  type SalesforceCardAuthOptions,
} from "./salesforce-card-auth.js";

/** The HubSpot user and record a card request comes from, read from its signed query string. */
export interface CardContext {
  portalId: string;
  userId: string;
  userEmail?: string | undefined;
  /** The record the card is shown on; a card acts on that record only. */
  objectId?: string | undefined;
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
  /** The Salesforce org whose Apex card requests are accepted (docs/contracts.md). */
  salesforce?: SalesforceCardAuthOptions | undefined;
  /** `TOLLGATE_PUBLIC_URL`: the base URL HubSpot called; the signature covers the full URL. */
  publicUrl: string;
  /** Epoch ms. @defaultValue Date.now */
  now?: () => number;
}

/** 401: a card request whose v3 signature does not hold (or that names no user). Nothing was done. */
export class CardSignatureError extends TollgateError {
  constructor(reason: SignatureFailure | "no_identity", message?: string) {
    super("card_signature_invalid", message ?? `HubSpot v3 signature check failed: ${reason}`, {
      httpStatus: 401,
      details: { reason },
    });
  }
}

const SIGNATURE_HEADER = "x-hubspot-signature-v3";
const TIMESTAMP_HEADER = "x-hubspot-request-timestamp";

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

const first = (v: unknown): string | undefined =>
  typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : undefined;

/**
 * Verifies a card's `hubspot.fetch` request and returns who sent it.
 *
 * HubSpot signs v3 over METHOD + full URL + body + timestamp (HubSpot: https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/fetching-data); the URL
 * is `TOLLGATE_PUBLIC_URL` + the path and query as received. The body is tried as received
 * (`req.rawBody`) and, when that differs or was not kept, as `JSON.stringify(req.body)` — what
 * HubSpot's dev proxy signs (`@hubspot/ui-extensions-dev-server` `signing.js`). A GET has no
 * body: the empty string. Identity comes only from the signed query string: `portalId` and
 * `userId` are required, `userEmail` and `objectId` optional.
 * @throws CardSignatureError
 */
export function verifyCardRequest(options: CardAuthOptions, req: Request): { principal: Principal; card: CardContext } {
  const bodies: Buffer[] = [];
  if (req.rawBody) bodies.push(req.rawBody);
  if (req.body !== undefined && req.body !== null && typeof req.body === "object") {
    const reserialised = Buffer.from(JSON.stringify(req.body), "utf8");
    if (!req.rawBody || !reserialised.equals(req.rawBody)) bodies.push(reserialised);
  }
  if (bodies.length === 0) bodies.push(Buffer.alloc(0));

  const clientSecret = options.clientSecret;
  if (!clientSecret)
    throw new UnauthorizedError("HubSpot card requests are not accepted: HUBSPOT_CLIENT_SECRET is not set");
  let failure: SignatureFailure = "bad_signature";
  const ok = bodies.some((rawBody) => {
    const check = verifyHubSpotSignatureV3({
      clientSecret,
      method: req.method,
      publicUrl: options.publicUrl.replace(/\/+$/, "") + req.originalUrl,
      rawBody,
      signature: req.get(SIGNATURE_HEADER),
      timestamp: req.get(TIMESTAMP_HEADER),
      now: (options.now ?? Date.now)(),
    });
    if (!check.ok) failure = check.reason;
    return check.ok;
  });
  if (!ok) throw new CardSignatureError(failure);

  const portalId = first(req.query.portalId);
  const userId = first(req.query.userId);
  if (!portalId || !/^\d+$/.test(portalId) || !userId || !/^\d+$/.test(userId)) {
    throw new CardSignatureError(
      "no_identity",
      "a card request must carry numeric portalId and userId query parameters",
    );
  }
  const userEmail = first(req.query.userEmail) || undefined;
  const objectId = first(req.query.objectId) || undefined;
  return {
    card: { portalId, userId, userEmail, objectId },
    principal: {
      via: "hubspot_card",
      role: "approver",
      name: userEmail ?? `hubspot:user:${userId}`,
      tenantId: portalId,
    },
  };
}

/**
 * Accepts EITHER a signed card request (a request carrying `X-HubSpot-Signature-v3` is held to
 * it, never to an API key) OR an API key with one of `roles`. A card user is an approver of
 * their own portal.
 */
export function authorizeCardOrKey(options: {
  authenticate: (header: string | undefined) => Principal | undefined;
  card?: CardAuthOptions | undefined;
  roles: readonly ApiKeyRole[];
}): RequestHandler {
  const byKey = requireRole(options.authenticate, options.roles);
  return (req, res, next) => {
    if (!isCardRequest(req)) return byKey(req, res, next);
    if (!options.card)
      return next(new UnauthorizedError("card requests are not accepted: HUBSPOT_CLIENT_SECRET is not configured"));
    try {
      const salesforce = req.get(SALESFORCE_SIGNATURE_HEADER) !== undefined;
      if (salesforce && !options.card.salesforce)
        return next(new UnauthorizedError("Salesforce card requests are not accepted: no org is connected"));
      const { principal, card } = salesforce
        ? verifySalesforceCardRequest(options.card.salesforce!, req)
        : verifyCardRequest(options.card, req);
      // The acting user travels in a Salesforce card's signed body; the route reads only its own fields.
      if (salesforce && req.body && typeof req.body === "object") {
        const body = req.body as Record<string, unknown>;
        delete body["orgId"];
        delete body["userId"];
      }
      if (!options.roles.includes(principal.role))
        return next(new ForbiddenError(`a card may not ${req.method} ${req.path}`, { allowedRoles: options.roles }));
      req.principal = principal;
      req.card = card;
      next();
    } catch (err) {
      next(err);
    }
  };
}
