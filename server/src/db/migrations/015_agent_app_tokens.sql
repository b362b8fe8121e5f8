-- Agent apps installed through Tollgate (docs/contracts.md, crm_tokens_revoked): the HubSpot refresh
-- token of an agent's own app, sealed with the token cipher, so a kill switch can revoke it at the
-- source. After a revoke the token is gone and the agent needs a new consent.
CREATE TABLE IF NOT EXISTS agent_app_tokens (
  tenant_id               text NOT NULL,
  agent_id                text NOT NULL,
  client_id               text NOT NULL,
  refresh_token_enc       text,
  status                  text NOT NULL CHECK (status IN ('active', 'reconsent_required')),
  installed_at            timestamptz NOT NULL,
  revoked_at              timestamptz,
  -- The expiry of the last access token Tollgate handed the agent: HubSpot does not revoke it.
  last_access_expires_at  timestamptz,
  PRIMARY KEY (tenant_id, agent_id)
);
