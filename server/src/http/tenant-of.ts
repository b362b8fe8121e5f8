import type { Request } from "express";
import { ForbiddenError } from "../errors/index.js";

/**
 * The tenant a request acts on. A key bound to a tenant only ever sees that tenant; a
 * deployment-wide key may name one with `?tenantId=`, else it gets the default tenant.
 */
export function tenantOf(req: Request, defaultTenant: string): string {
  const asked = typeof req.query.tenantId === "string" ? req.query.tenantId : undefined;
  const bound = req.principal?.tenantId;
  if (bound && asked && asked !== bound) throw new ForbiddenError(`this key acts for tenant ${bound} only`);
  return bound ?? asked ?? defaultTenant;
}
