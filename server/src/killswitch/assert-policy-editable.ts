import { PolicyLockedError } from "./errors.js";
import type { KeyHolder, KillSwitchService } from "./types.js";

/**
 * R7 "whole workspace: lock policy edits": while the tenant switch is on, only an owner may
 * replace the policy (an owner may need to, to fix what caused the stop).
 * @throws PolicyLockedError (403 `policy_locked`)
 */
export async function assertPolicyEditable(
  service: Pick<KillSwitchService, "active">,
  tenantId: string,
  principal: Pick<KeyHolder, "role">,
): Promise<void> {
  if (principal.role === "owner") return;
  if ((await service.active(tenantId)).active.has("tenant")) throw new PolicyLockedError(tenantId);
}
