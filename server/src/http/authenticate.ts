import { createHash, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler } from "express";
import type { ApiKeyEntry, ApiKeyRole } from "../config/index.js";
import { ForbiddenError, UnauthorizedError } from "../errors/index.js";

/** Who is calling: an API key's holder, or a CRM user from a signed card request. */
export interface Principal {
  via: "api_key" | "hubspot_card" | "salesforce_card";
  role: ApiKeyRole;
  /** The key's `name`, the agent id, or the CRM user — shown in the audit. */
  name: string;
  agentId?: string | undefined;
  /** The tenant the key is bound to; `"*"` for an owner key that may name any. */
  tenantId?: string | undefined;
  /** The person's email (an API key's `email`, a card user's `userEmail`). */
  email?: string | undefined;
}

export const HUMAN_ROLES = [
  "owner",
  "revops_admin",
  "operator",
  "approver",
  "auditor",
] as const satisfies readonly ApiKeyRole[];
export const POLICY_EDITORS = ["owner", "revops_admin"] as const satisfies readonly ApiKeyRole[];

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest();

/**
 * Resolves `Authorization: Bearer <key>` against the configured keys. Only SHA-256 digests
 * are kept in memory, and every digest is compared in constant time, without stopping at the
 * first match, so timing says nothing about which key (or how much of one) was right.
 */
export function createApiKeyAuthenticator(
  entries: readonly ApiKeyEntry[],
): (header: string | undefined) => Principal | undefined {
  const known = entries.map((e) => ({
    digest: sha256(e.key),
    principal: {
      via: "api_key" as const,
      role: e.role,
      // Config requires a name on every person's key; an agent's key is named by its agent.
      name: e.name ?? e.agentId!,
      agentId: e.agentId,
      tenantId: e.tenantId,
      email: e.email,
    },
  }));
  return (header) => {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
    if (!match) return undefined;
    const presented = sha256(match[1]!);
    let found: Principal | undefined;
    for (const k of known) if (timingSafeEqual(k.digest, presented)) found = k.principal;
    return found;
  };
}

declare module "express-serve-static-core" {
  interface Request {
    principal?: Principal;
    requestId?: string;
  }
}

/** Refuses the request unless an API key with one of `roles` authenticated it. */
export function requireRole(
  authenticate: (header: string | undefined) => Principal | undefined,
  roles: readonly ApiKeyRole[],
): RequestHandler {
  return (req, _res, next) => {
    const principal = req.principal ?? authenticate(req.get("authorization"));
    if (!principal) return next(new UnauthorizedError("missing or unknown API key: send Authorization: Bearer <key>"));
    if (!roles.includes(principal.role)) {
      return next(
        new ForbiddenError(`role ${principal.role} may not ${req.method} ${req.baseUrl}${req.path}`, {
          allowedRoles: roles,
        }),
      );
    }
    req.principal = principal;
    next();
  };
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw new UnauthorizedError();
  return req.principal;
}
