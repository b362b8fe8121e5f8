import { Router } from "express";
import type { RollbackService } from "../../rollback/index.js";
import { ForbiddenError, NotFoundError, ValidationError } from "../../errors/index.js";
import { HUMAN_ROLES, principalOf, requireRole, type Principal } from "../authenticate.js";
import { tenantOf } from "../tenant-of.js";

export interface RollbackRoutesOptions {
  rollback: Pick<RollbackService, "plan" | "getJob">;
  authenticate: (header: string | undefined) => Principal | undefined;
  defaultTenant: string;
}

const ROLLBACK_ROLES = ["owner", "revops_admin"] as const;

/**
 * docs/contracts.md#http-api: `POST /v1/rollback` (RevOps admins and owners; `force` over a conflict is an
 * owner's call) and `GET /v1/rollback/:jobId` (any human role).
 */
export function createRollbackRouter({ rollback, authenticate, defaultTenant }: RollbackRoutesOptions): Router {
  const router = Router();

  router.post("/v1/rollback", requireRole(authenticate, ROLLBACK_ROLES), async (req, res) => {
    if (req.body === null || typeof req.body !== "object" || Array.isArray(req.body))
      throw new ValidationError("send the rollback request as a JSON object");
    const principal = principalOf(req);
    if (req.body.force === true && principal.role !== "owner")
      throw new ForbiddenError("only an owner may force a rollback over a conflict", { allowedRoles: ["owner"] });
    const plan = await rollback.plan(tenantOf(req, defaultTenant), req.body, {
      type: "human",
      id: principal.name,
      role: principal.role,
      via: principal.via,
    });
    res.status(plan.jobId ? 202 : 200).json(plan);
  });

  router.get("/v1/rollback/:jobId", requireRole(authenticate, HUMAN_ROLES), async (req, res) => {
    const job = await rollback.getJob(tenantOf(req, defaultTenant), String(req.params.jobId));
    if (!job) throw new NotFoundError(`no rollback job ${req.params.jobId}`);
    res.json(job);
  });

  return router;
}
