-- Sensitive values leave the working rows once those rows no longer need them (docs/operations.md,
-- security): a settled CRM write and a decided approval keep only the keyed hash of each value the
-- CRM marks sensitive, and say when it was purged. The partial indexes find what is left to purge.
ALTER TABLE crm_writes ADD COLUMN IF NOT EXISTS sensitive_purged_at timestamptz;
ALTER TABLE approvals ADD COLUMN IF NOT EXISTS sensitive_purged_at timestamptz;
CREATE INDEX IF NOT EXISTS crm_writes_sensitive_unpurged ON crm_writes (tenant_id)
  WHERE sensitive_fields <> '[]'::jsonb AND sensitive_purged_at IS NULL;
CREATE INDEX IF NOT EXISTS approvals_sensitive_unpurged ON approvals (tenant_id)
  WHERE sensitive AND sensitive_purged_at IS NULL;
