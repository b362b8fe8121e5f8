import { createAgentConsentRouter, createAgentTokenBroker } from "../agent-tokens/index.js";
import { createInstallLimiter, createTokenCipher } from "../install/index.js";
import type { Governance } from "./assemble-governance.js";
import type { BaseParts } from "./parts.js";

/**
 * Agent apps installed through Tollgate (docs/contracts.md, crm_tokens_revoked): the token broker and its consent
 * routes, when `TOLLGATE_AGENT_APP_SECRETS` names any app; else nothing (the point says why).
 */
export function assembleAgentTokens(p: BaseParts & { governance: Governance }) {
  const { config, db, redis, prefix, policies, logger, now } = p;
  const secrets = config.agentAppSecrets;
  if (Object.keys(secrets).length === 0 || !config.encryptionKey) return undefined;
  // An agent's app is named by the deployment's policy; its secret comes only from configuration.
  const defaultTenant = config.hubspot.portalId ?? policies.current("default").compiled.tenant;
  const broker = createAgentTokenBroker({
    db,
    cipher: createTokenCipher({ key: config.encryptionKey, previousKeys: config.previousEncryptionKeys }),
    publicUrl: config.publicUrl,
    apiBaseUrl: config.hubspot.apiBaseUrl,
    appOf: (agentId) => {
      const agent = p.governance.policyOf(defaultTenant).manifest.agents.find((a) => a.id === agentId);
      const clientId = agent?.hubspot?.appClientId;
      const clientSecret = clientId ? secrets[clientId] : undefined;
      return clientId && clientSecret ? { clientId, clientSecret } : undefined;
    },
    now,
  });
  const router = createAgentConsentRouter({
    broker,
    // The same per-IP budget as Tollgate's own install, shared by every process.
    limiter: createInstallLimiter(redis, prefix),
    secure: config.publicUrl.startsWith("https:"),
    logger,
  });
  return { broker, router };
}

export type AgentTokens = ReturnType<typeof assembleAgentTokens>;
