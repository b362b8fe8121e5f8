-- Installations of Tollgate in a CRM account and the one-time OAuth states that start them.
-- tenant_id is the HubSpot portal id (hub_id) or Salesforce org id. Tokens are stored only as
-- AES-256-GCM ciphertexts (server/src/install/token-cipher.ts), never in plaintext. Uninstall
-- wipes them but keeps the row, so the audit trail still resolves the tenant.
CREATE TABLE IF NOT EXISTS installations (
  tenant_id          text PRIMARY KEY,
  crm                text NOT NULL CHECK (crm IN ('hubspot', 'salesforce')),
  auth_mode          text NOT NULL CHECK (auth_mode IN ('oauth', 'private_app')),
  access_token_enc   text,
  refresh_token_enc  text,
  expires_at         timestamptz,
  scopes             text[] NOT NULL DEFAULT '{}',
  hub_domain         text,
  app_id             text,
  installed_by       text,
  installed_at       timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  uninstalled_at     timestamptz,
  status             text NOT NULL CHECK (status IN ('active', 'uninstalled', 'reauth_required')),
  -- Bumped on every token change: a refresh only lands if nobody refreshed in between
  -- (compare-and-swap across processes, no lock held during the HTTP call).
  token_version      integer NOT NULL DEFAULT 0,
  CONSTRAINT installations_uninstalled_has_no_tokens
    CHECK (status <> 'uninstalled' OR (access_token_enc IS NULL AND refresh_token_enc IS NULL))
);

-- CSRF protection for the OAuth redirect: each state is issued once, expires, and is
-- consumed by the first callback that presents it.
CREATE TABLE IF NOT EXISTS oauth_states (
  state       text PRIMARY KEY,
  crm         text NOT NULL DEFAULT 'hubspot',
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX IF NOT EXISTS oauth_states_expires_at ON oauth_states (expires_at);
