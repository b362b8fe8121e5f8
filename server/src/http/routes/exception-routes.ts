import { Router } from "express";
import { z } from "zod";
import {
  EXCEPTION_STATES,
  exceptionAssignSchema,
  exceptionTransitionSchema,
  type ExceptionQueue,
} from "../../exceptions/index.js";
import { HUMAN_ROLES, principalOf, requireRole, type Principal } from "../authenticate.js";
import { parseWith } from "../parse-with.js";
import { tenantOf } from "../tenant-of.js";

export interface ExceptionRoutesOptions {
  exceptions: Pick<ExceptionQueue, "list" | "assign" | "transition">;
  authenticate: (header: string | undefined) => Principal | undefined;
  defaultTenant: string;
}

const HANDLERS = ["owner", "revops_admin", "operator"] as const;

const listQuerySchema = z.object({
  state: z.enum(EXCEPTION_STATES).optional(),
  overdue: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  owner: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/**
 * Requirements R9, the exception queue: `GET /v1/exceptions?state&overdue&owner` (any human
 * role), `POST /v1/exceptions/:id/assign {owner}` and `POST /v1/exceptions/:id/transition
 * {state, note}` (owners, RevOps admins, operators).
 */
export function createExceptionRouter({ exceptions, authenticate, defaultTenant }: ExceptionRoutesOptions): Router {
  const router = Router();
  const actorOf = (p: Principal) => ({ type: "human" as const, id: p.name, role: p.role, via: p.via });

  router.get("/v1/exceptions", requireRole(authenticate, HUMAN_ROLES), async (req, res) => {
    const { tenantId: _ignored, ...rest } = req.query;
    const q = parseWith(listQuerySchema, rest, "exceptions query");
    res.json({ exceptions: await exceptions.list(tenantOf(req, defaultTenant), q) });
  });

  router.post("/v1/exceptions/:id/assign", requireRole(authenticate, HANDLERS), async (req, res) => {
    const body = parseWith(exceptionAssignSchema, req.body, "assignment");
    res.json(
      await exceptions.assign(
        tenantOf(req, defaultTenant),
        String(req.params.id),
        body.owner,
        actorOf(principalOf(req)),
      ),
    );
  });

  router.post("/v1/exceptions/:id/transition", requireRole(authenticate, HANDLERS), async (req, res) => {
    const body = parseWith(exceptionTransitionSchema, req.body, "transition");
    res.json(
      await exceptions.transition(tenantOf(req, defaultTenant), String(req.params.id), body, actorOf(principalOf(req))),
    );
  });

  return router;
}
