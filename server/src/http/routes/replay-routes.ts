import { Router } from "express";
import type { ReplayService } from "../../replay/index.js";
import { requireRole, type Principal } from "../authenticate.js";
import { tenantOf } from "../tenant-of.js";

export interface ReplayRoutesOptions {
  replay: ReplayService;
  authenticate: (header: string | undefined) => Principal | undefined;
  defaultTenant: string;
}

/** Owners, RevOps and auditors: a replay only reads, and shows what a policy would have done. */
const REPLAYERS = ["owner", "revops_admin", "auditor"] as const;

/**
 * docs/contracts.md `POST /v1/replay` (docs/contracts.md): `{policy | version, from, to, agentId?}` → the decisions
 * that change.
 */
export function createReplayRouter({ replay, authenticate, defaultTenant }: ReplayRoutesOptions): Router {
  const router = Router();
  router.post("/v1/replay", requireRole(authenticate, REPLAYERS), async (req, res) => {
    res.json(await replay.replay(tenantOf(req, defaultTenant), req.body ?? {}));
  });
  return router;
}
