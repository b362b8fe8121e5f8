-- Tenants (HubSpot portal or Salesforce org, or "default") and the policy versions each has
-- served. A policy version is the SHA-256 of the policy's canonical form (docs/contracts.md#policy-manifest).
CREATE TABLE IF NOT EXISTS tenants (
  tenant_id   text PRIMARY KEY,
  crm         text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS policy_versions (
  tenant_id    text NOT NULL,
  version      text NOT NULL,
  source_yaml  text NOT NULL,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  active       boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, version)
);
CREATE UNIQUE INDEX IF NOT EXISTS policy_versions_one_active ON policy_versions (tenant_id) WHERE active;
