import { Router } from "express";
import type { SetupRunner } from "../../install/index.js";
import { HUMAN_ROLES, requireRole, type Principal } from "../authenticate.js";
import { tenantOf } from "../tenant-of.js";

/**
 * `GET /v1/setup` (any human role): the tenant's latest background setup — provisioning, then the
 * baseline of every governed field — with its progress per object, and the webhook subscriptions
 * a policy change needs uploaded (docs/contracts.md#http-api, docs/operations.md#install-and-setup).
 */
export function createSetupRouter(options: {
  setup: Pick<SetupRunner, "progress">;
  authenticate: (header: string | undefined) => Principal | undefined;
  defaultTenant: string;
}): Router {
  const router = Router();
  router.get("/v1/setup", requireRole(options.authenticate, HUMAN_ROLES), (req, res) => {
    res.json({ setup: options.setup.progress(tenantOf(req, options.defaultTenant)) ?? null });
  });
  return router;
}
