import { TollgateError } from "../errors/index.js";

/** The agent's app token was revoked by a kill switch (or never installed): only a new consent brings it back. */
export class ReconsentRequiredError extends TollgateError {
  constructor(agentId: string, reason: "revoked" | "not_installed", installPath: string) {
    super(
      "reconsent_required",
      `agent ${agentId} has no HubSpot consent through Tollgate (${reason}): an admin installs its app again at ${installPath}`,
      { httpStatus: 409, details: { agentId, reason, installPath } },
    );
  }
}

/** The agent declares no `hubspot.appClientId`, or its client secret is not configured. */
export class AgentAppNotConfiguredError extends TollgateError {
  constructor(agentId: string) {
    super(
      "agent_app_not_configured",
      `agent ${agentId} declares no HubSpot app (hubspot.appClientId) with a configured client secret`,
      { httpStatus: 404, details: { agentId } },
    );
  }
}
