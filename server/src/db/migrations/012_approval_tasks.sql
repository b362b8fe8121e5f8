-- Approval notifications (docs/operations.md, approvals): the CRM task each approver was given
-- for a pending approval, so a retried notify job creates none twice and the task is completed
-- once the approval is decided or expires. A row is reserved before the task is created
-- (task_id NULL until the CRM answers).
CREATE TABLE IF NOT EXISTS approval_tasks (
  tenant_id   text NOT NULL,
  approval_id text NOT NULL,
  -- The CRM user the task is assigned to.
  user_id     text NOT NULL,
  task_id     text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  closed_at   timestamptz,
  PRIMARY KEY (tenant_id, approval_id, user_id)
);
CREATE INDEX IF NOT EXISTS approval_tasks_open ON approval_tasks (tenant_id, approval_id) WHERE closed_at IS NULL;
