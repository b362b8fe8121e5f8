import { TollgateError } from "../errors/index.js";

/** An agent's API key is refused while a kill switch covers the agent (R7: "revoke agent tokens"). */
export class AgentKilledError extends TollgateError {
  constructor(agentId: string, switchKey: string) {
    super("agent_killed", `agent ${agentId} is stopped by kill switch ${switchKey}`, {
      httpStatus: 403,
      details: { agentId, switch: switchKey },
    });
  }
}

/** Policy edits are locked while the tenant switch is on; only owners may change the policy then. */
export class PolicyLockedError extends TollgateError {
  constructor(tenantId: string) {
    super("policy_locked", `the tenant kill switch is on for ${tenantId}: only an owner may change the policy`, {
      httpStatus: 403,
      details: { tenantId },
    });
  }
}

/** 403: this role may not lift this switch (docs/operations.md); the attempt is audited. */
export class KillSwitchForbiddenError extends TollgateError {
  constructor(message: string) {
    super("kill_switch_forbidden", message, { httpStatus: 403 });
  }
}
