-- A kill switch cancels an agent's queued CRM writes in its scope (docs/operations.md, containment:
-- `queued_work_cancelled`): such a row settles as `cancelled`, never to be sent, and remembers the
-- switch's audit event (`cancelled_by`), so the switch can report what it cancelled. Protective
-- writes (reverts, rollbacks, shadow clears) are never cancelled.
ALTER TABLE crm_writes DROP CONSTRAINT IF EXISTS crm_writes_status_check;
ALTER TABLE crm_writes ADD CONSTRAINT crm_writes_status_check
  CHECK (status IN ('pending', 'in_flight', 'done', 'failed', 'skipped', 'cancelled'));
ALTER TABLE crm_writes ADD COLUMN IF NOT EXISTS cancelled_by text;
CREATE INDEX IF NOT EXISTS crm_writes_cancelled_by ON crm_writes (tenant_id, cancelled_by) WHERE cancelled_by IS NOT NULL;
