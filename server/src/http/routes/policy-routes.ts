import { Router } from "express";
import { listPolicyWarnings, type PolicyRegistry } from "../../policy/index.js";
import { ValidationError } from "../../errors/index.js";
import { goldenOverrideSchema } from "../../../../shared/index.js";
import type { GoldenService } from "../../golden/index.js";
import { parseWith } from "../parse-with.js";
import { assertPolicyEditable, type KillSwitchService } from "../../killswitch/index.js";
import { HUMAN_ROLES, POLICY_EDITORS, principalOf, requireRole, type Principal } from "../authenticate.js";
import { tenantOf } from "../tenant-of.js";

export interface PolicyRoutesOptions {
  policies: PolicyRegistry;
  authenticate: (header: string | undefined) => Principal | undefined;
  defaultTenant: string;
  /** With it, policy edits are locked to owners while the tenant kill switch is on (R7). */
  killSwitches?: Pick<KillSwitchService, "active"> | undefined;
  /**
   * With it, a change that alters a golden record's decision is refused unless an owner overrides (`goldenOverride`).
   */
  golden?: Pick<GoldenService, "assertPolicyChange"> | undefined;
}

/**
 * docs/contracts.md#http-api: `GET /v1/policy` (any human role) and `PUT /v1/policy` (owner, revops_admin).
 * PUT takes the YAML itself (`Content-Type: application/yaml`) or `{"yaml": "…"}`; a bad policy
 * answers 400 with every problem and its line, and the last good policy keeps serving.
 */
export function createPolicyRouter({
  policies,
  authenticate,
  defaultTenant,
  killSwitches,
  golden,
}: PolicyRoutesOptions): Router {
  const router = Router();

  router.get("/v1/policy", requireRole(authenticate, HUMAN_ROLES), (req, res) => {
    const p = policies.current(tenantOf(req, defaultTenant));
    res.json({
      version: p.version,
      source: p.source,
      updatedAt: p.updatedAt,
      updatedBy: p.updatedBy,
      tenant: p.compiled.tenant,
      policy: p.compiled.manifest,
      yaml: p.yaml,
    });
  });

  router.put("/v1/policy", requireRole(authenticate, POLICY_EDITORS), async (req, res) => {
    const yaml =
      typeof req.body === "string"
        ? req.body
        : typeof req.body?.yaml === "string"
          ? (req.body.yaml as string)
          : undefined;
    if (yaml === undefined || yaml.trim() === "") {
      throw new ValidationError('send the policy as YAML (Content-Type: application/yaml) or as {"yaml": "…"}');
    }
    const principal = principalOf(req);
    if (killSwitches) await assertPolicyEditable(killSwitches, tenantOf(req, defaultTenant), principal);
    const override =
      typeof req.body === "object" && req.body?.goldenOverride !== undefined
        ? parseWith(goldenOverrideSchema, req.body.goldenOverride, "goldenOverride")
        : undefined;
    const actor = { type: "human" as const, id: principal.name, role: principal.role, via: principal.via };
    await golden?.assertPolicyChange(tenantOf(req, defaultTenant), yaml, actor, override);
    const { policy, diffSummary } = await policies.replace(tenantOf(req, defaultTenant), yaml, actor);
    res.json({
      version: policy.version,
      updatedAt: policy.updatedAt,
      updatedBy: policy.updatedBy,
      diffSummary,
      warnings: listPolicyWarnings(policy.compiled.manifest),
    });
  });

  return router;
}
