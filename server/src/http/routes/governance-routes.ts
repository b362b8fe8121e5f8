import { Router } from "express";
import { z } from "zod";
import type { Sql } from "../../db/index.js";
import { computeGovernanceMetrics } from "../../metrics/index.js";
import { HUMAN_ROLES, requireRole, type Principal } from "../authenticate.js";
import { parseWith } from "../parse-with.js";
import { tenantOf } from "../tenant-of.js";

export interface GovernanceRoutesOptions {
  db: Sql;
  authenticate: (header: string | undefined) => Principal | undefined;
  defaultTenant: string;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
}

const DAY = 24 * 3600_000;
const iso = z.string().datetime({ offset: true, error: "expected an ISO-8601 date-time with offset" });
const querySchema = z
  .object({ from: iso.optional(), to: iso.optional() })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), {
    error: "from must be before to",
    path: ["to"],
  });

/** Requirements R9: `GET /v1/metrics/governance?from&to` (default: the last 7 days), any human role. */
export function createGovernanceRouter({
  db,
  authenticate,
  defaultTenant,
  now = () => new Date(),
}: GovernanceRoutesOptions): Router {
  const router = Router();
  router.get("/v1/metrics/governance", requireRole(authenticate, HUMAN_ROLES), async (req, res) => {
    const { tenantId: _ignored, ...rest } = req.query;
    const q = parseWith(querySchema, rest, "governance query");
    const at = now();
    const to = q.to ? new Date(q.to) : at;
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * DAY);
    res.json(await computeGovernanceMetrics(db, tenantOf(req, defaultTenant), { from, to }, at));
  });
  return router;
}
