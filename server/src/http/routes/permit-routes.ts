import { Router } from "express";
import { permitVerifyRequestSchema } from "../../../../shared/index.js";
import type { PermitVerifier } from "../../actions/index.js";
import { principalOf, requireRole, type Principal } from "../authenticate.js";
import { parseWith } from "../parse-with.js";
import { tenantOf } from "../tenant-of.js";

export interface PermitRoutesOptions {
  verifier: PermitVerifier;
  authenticate: (header: string | undefined) => Principal | undefined;
  defaultTenant: string;
}

/** The sending system's key (role `operator`, as for `/v1/signals`); owners too. */
const VERIFIERS = ["operator", "owner"] as const;

/**
 * docs/contracts.md: `POST /v1/permits/verify` `{token, digest}` → `{valid: true, eventId, action,
 * agentId, expiresAt}` once, then `{valid: false, reason, message}` (`used`, `expired`, `killed`,
 * `digest_mismatch`, `invalid`, `other_tenant`). A refusal is an answer (200), not an error;
 * a malformed body is a 400 and uses nothing.
 */
export function createPermitRouter({ verifier, authenticate, defaultTenant }: PermitRoutesOptions): Router {
  const router = Router();
  router.post("/v1/permits/verify", requireRole(authenticate, VERIFIERS), async (req, res) => {
    const body = parseWith(permitVerifyRequestSchema, req.body, "permit check");
    res.json(await verifier.verify(tenantOf(req, defaultTenant), body, principalOf(req).name));
  });
  return router;
}
