import type { Request } from "express";
import type { AuditEventInput } from "../../../shared/index.js";
import { TollgateError } from "../errors/index.js";
import { ANY_TENANT } from "./tenant-of.js";

declare module "express-serve-static-core" {
  interface Request {
    /**
     * Portals named by a card request whose signature held but whose identity was refused
     * (named twice, another app): its refusal is audited in the portals that exist.
     */
    signedPortalIds?: string[];
  }
}

/** Refusals their own service already audits with the decision they refused. */
const AUDITED_ELSEWHERE = new Set(["self_approval", "not_an_approver", "kill_switch_forbidden"]);

/**
 * The audit event for a refused request (401/403), and the tenants it belongs to: the card's
 * portal, the key's tenant, or — for a validly signed card whose identity was refused — every
 * portal it named. Unsigned, unknown callers are not audited (anyone could fill the log); they
 * are only logged. `undefined` when there is nothing to audit.
 */
export function toRefusalEvent(
  req: Request,
  err: unknown,
  defaultTenant: string,
): { tenants: string[]; event: Omit<AuditEventInput, "tenant_id"> } | undefined {
  if (!(err instanceof TollgateError) || (err.httpStatus !== 401 && err.httpStatus !== 403)) return undefined;
  if (AUDITED_ELSEWHERE.has(err.code)) return undefined;
  const p = req.principal;
  const tenants = req.card
    ? [req.card.portalId]
    : p
      ? [p.tenantId && p.tenantId !== ANY_TENANT ? p.tenantId : defaultTenant]
      : (req.signedPortalIds ?? []);
  if (tenants.length === 0) return undefined;
  const crm = req.card?.crm ?? "hubspot";
  const actor = req.card
    ? { type: "human" as const, id: `${crm}:user:${req.card.userId}`, role: p?.role ?? null, via: `${crm}_card` }
    : p
      ? { type: p.role === "agent" ? ("agent" as const) : ("human" as const), id: p.name, role: p.role, via: p.via }
      : { type: "human" as const, id: "unverified-card-user", role: null, via: "hubspot_card" };
  return {
    tenants: [...new Set(tenants)],
    event: {
      actor,
      action: "access_refused",
      reason: `${req.method} ${req.baseUrl}${req.path}: ${err.message}`,
      result: "failed",
      error: err.code,
      risk_flags: [err.code],
      evidence: { status: err.httpStatus, code: err.code, details: err.details ?? null },
    },
  };
}

/**
 * Hears every refused request and audits it in each tenant it can be named for; an unsigned
 * request naming a portal Tollgate is not installed in is not audited there (docs/operations.md, security).
 */
export function createRefusalAuditor(ports: {
  audit: { append(input: AuditEventInput): Promise<unknown> };
  defaultTenant: string;
  isInstalled: (tenantId: string) => Promise<boolean>;
}): (req: Request, err: unknown) => Promise<void> {
  return async (req, err) => {
    const refusal = toRefusalEvent(req, err, ports.defaultTenant);
    if (!refusal) return;
    for (const tenantId of refusal.tenants) {
      if (!req.principal && !req.card && !(await ports.isInstalled(tenantId))) continue;
      await ports.audit.append({ tenant_id: tenantId, ...refusal.event });
    }
  };
}
