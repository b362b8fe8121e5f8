import { Router } from "express";
import { z } from "zod";
import type { QaSampler } from "../../qa/index.js";
import { HUMAN_ROLES, principalOf, requireRole, type Principal } from "../authenticate.js";
import { parseWith } from "../parse-with.js";
import { tenantOf } from "../tenant-of.js";

export interface QaRoutesOptions {
  qa: Pick<QaSampler, "list" | "review">;
  authenticate: (header: string | undefined) => Principal | undefined;
  defaultTenant: string;
}

/** Reviewers: every human role but the auditor, who reads. */
const REVIEWERS = ["owner", "revops_admin", "operator", "approver"] as const;

const listQuerySchema = z.object({
  state: z.enum(["pending", "reviewed"]).optional(),
  agentId: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Requirements R9: `GET /v1/qa` (the review queue) and `POST /v1/qa/:id/review` (`{verdict, scorecard, notes?}`). */
export function createQaRouter({ qa, authenticate, defaultTenant }: QaRoutesOptions): Router {
  const router = Router();

  router.get("/v1/qa", requireRole(authenticate, HUMAN_ROLES), async (req, res) => {
    const { tenantId: _ignored, ...rest } = req.query;
    const q = parseWith(listQuerySchema, rest, "QA query");
    res.json({ items: await qa.list(tenantOf(req, defaultTenant), q) });
  });

  router.post("/v1/qa/:id/review", requireRole(authenticate, REVIEWERS), async (req, res) => {
    const principal = principalOf(req);
    const item = await qa.review(tenantOf(req, defaultTenant), String(req.params.id), req.body ?? {}, {
      type: "human",
      id: principal.name,
      role: principal.role,
      via: principal.via,
    });
    res.json(item);
  });

  return router;
}
