-- Records an install (or a reinstall after an uninstall) with fresh tokens.
-- $1 tenant_id, $2 crm, $3 auth_mode, $4 access_token_enc, $5 refresh_token_enc,
-- $6 expires_at (timestamptz), $7 scopes (text[]), $8 hub_domain, $9 app_id,
-- $10 installed_by, $11 now (timestamptz)
INSERT INTO installations (tenant_id, crm, auth_mode, access_token_enc, refresh_token_enc, expires_at,
                           scopes, hub_domain, app_id, installed_by, installed_at, updated_at, status)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 'active')
ON CONFLICT (tenant_id) DO UPDATE SET
  crm = EXCLUDED.crm,
  auth_mode = EXCLUDED.auth_mode,
  access_token_enc = EXCLUDED.access_token_enc,
  refresh_token_enc = EXCLUDED.refresh_token_enc,
  expires_at = EXCLUDED.expires_at,
  scopes = EXCLUDED.scopes,
  hub_domain = COALESCE(EXCLUDED.hub_domain, installations.hub_domain),
  app_id = COALESCE(EXCLUDED.app_id, installations.app_id),
  installed_by = COALESCE(EXCLUDED.installed_by, installations.installed_by),
  -- An install over an active one (a re-run, a restart in private-app mode) keeps its date.
  installed_at = CASE WHEN installations.status = 'active' THEN installations.installed_at ELSE EXCLUDED.installed_at END,
  updated_at = EXCLUDED.updated_at,
  uninstalled_at = NULL,
  status = 'active',
  token_version = installations.token_version + 1
RETURNING *
