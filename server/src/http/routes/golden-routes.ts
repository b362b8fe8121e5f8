import { Router, type Request } from "express";
import { goldenAddBodySchema, type AuditActor } from "../../../../shared/index.js";
import type { GoldenService } from "../../golden/index.js";
import { loadPolicy, type PolicyRegistry } from "../../policy/index.js";
import type { SafeModeService } from "../../safe-mode/index.js";
import { HUMAN_ROLES, POLICY_EDITORS, principalOf, requireRole, type Principal } from "../authenticate.js";
import { parseWith } from "../parse-with.js";
import { tenantOf } from "../tenant-of.js";

export interface GoldenRoutesOptions {
  golden: GoldenService;
  safeModes: SafeModeService;
  policies: Pick<PolicyRegistry, "current">;
  authenticate: (header: string | undefined) => Principal | undefined;
  defaultTenant: string;
}

/** Whoever may stop an agent may also slow it down. */
const SAFE_MODE_SETTERS = ["owner", "revops_admin", "operator"] as const;
const CHECKERS = ["owner", "revops_admin", "auditor"] as const;

/** The audit's actor for the person behind a request. */
export function actorOf(req: Request): AuditActor {
  const p = principalOf(req);
  return { type: "human", id: p.name, role: p.role, via: p.via };
}

/**
 * docs/contracts.md "Golden records and safe mode": `GET/POST /v1/golden`, `DELETE /v1/golden/:eventId`,
 * `POST /v1/golden/check` (a candidate policy against the set, nothing stored), and
 * `GET/PUT /v1/safe-modes`.
 */
export function createGoldenRouter({ golden, safeModes, policies, authenticate, defaultTenant }: GoldenRoutesOptions) {
  const router = Router();
  router.get("/v1/golden", requireRole(authenticate, HUMAN_ROLES), async (req, res) => {
    res.json({ records: await golden.list(tenantOf(req, defaultTenant)) });
  });
  router.post("/v1/golden", requireRole(authenticate, POLICY_EDITORS), async (req, res) => {
    const tenantId = tenantOf(req, defaultTenant);
    const body = parseWith(
      goldenAddBodySchema,
      typeof req.body === "string" ? { yaml: req.body } : req.body,
      "golden records",
    );
    const result =
      "yaml" in body
        ? await golden.importYaml(tenantId, body.yaml, actorOf(req))
        : await golden.add(tenantId, "records" in body ? body.records : [body], actorOf(req));
    res.json(result);
  });
  router.delete("/v1/golden/:eventId", requireRole(authenticate, POLICY_EDITORS), async (req, res) => {
    await golden.remove(tenantOf(req, defaultTenant), String(req.params.eventId), actorOf(req));
    res.json({ removed: req.params.eventId });
  });
  router.post("/v1/golden/check", requireRole(authenticate, CHECKERS), async (req, res) => {
    const tenantId = tenantOf(req, defaultTenant);
    const yaml = typeof req.body === "string" ? req.body : (req.body?.policy as unknown);
    const policy =
      typeof yaml === "string" && yaml.trim() !== ""
        ? loadPolicy(yaml, { filename: "candidate policy" })
        : policies.current(tenantId).compiled;
    res.json({ version: policy.version, broken: await golden.check(tenantId, policy) });
  });
  router.get("/v1/safe-modes", requireRole(authenticate, HUMAN_ROLES), async (req, res) => {
    res.json({ safeModes: await safeModes.list(tenantOf(req, defaultTenant)) });
  });
  router.put("/v1/safe-modes", requireRole(authenticate, SAFE_MODE_SETTERS), async (req, res) => {
    res.json(await safeModes.set(tenantOf(req, defaultTenant), req.body ?? {}, actorOf(req)));
  });
  return router;
}
