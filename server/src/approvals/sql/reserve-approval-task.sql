-- Reserves the task of one approver for one approval; answers nothing when it was already reserved.
-- $1 tenant_id, $2 approval_id, $3 user_id
INSERT INTO approval_tasks (tenant_id, approval_id, user_id) VALUES ($1, $2, $3)
ON CONFLICT (tenant_id, approval_id, user_id) DO UPDATE SET user_id = EXCLUDED.user_id
  WHERE approval_tasks.task_id IS NULL AND approval_tasks.closed_at IS NULL
RETURNING user_id
