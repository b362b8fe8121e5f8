import type { Request } from "express";
import { ForbiddenError, ValidationError } from "../errors/index.js";

/** A key that may act on any tenant names one with `?tenantId=` (owner keys only). */
export const ANY_TENANT = "*";
/** HubSpot portal ids, Salesforce org ids, `default`: letters, digits, `_` and `-`. */
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The tenant a request acts on (docs/operations.md, tenants). A key bound to a tenant only ever
 * sees that tenant, and agent keys never choose one (theirs, or the default). A person's key
 * bound to none — an owner key marked `tenantId: "*"`, or any unbound key where there is no
 * OAuth (configuration refuses unbound keys with OAuth, where many portals share a deployment) —
 * names one with `?tenantId=`, else the default. A malformed or repeated `tenantId` is a 400;
 * asking for a tenant the key is not for is a 403.
 * @throws ValidationError, ForbiddenError
 */
export function tenantOf(req: Request, defaultTenant: string): string {
  const raw = req.query.tenantId;
  if (raw !== undefined && typeof raw !== "string")
    throw new ValidationError("invalid tenantId: give exactly one tenant id", { param: "tenantId" });
  if (raw !== undefined && !TENANT_ID.test(raw))
    throw new ValidationError("invalid tenantId: expected letters, digits, '_' or '-' (at most 64)", {
      param: "tenantId",
    });
  const principal = req.principal;
  const bound = principal?.tenantId !== undefined && principal.tenantId !== ANY_TENANT;
  if (!bound && principal?.role !== "agent") return raw ?? defaultTenant;
  const own = bound ? principal!.tenantId! : defaultTenant;
  if (raw !== undefined && raw !== own)
    throw new ForbiddenError(`this key acts for tenant ${own} only`, { tenantId: own });
  return own;
}
