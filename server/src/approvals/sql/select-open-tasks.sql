-- Open notification tasks of approvals no longer pending (decided, expired, superseded).
-- $1 tenant_id (text, NULL for all), $2 approval ids (text[], NULL for all)
SELECT t.tenant_id, t.approval_id, t.user_id, t.task_id
  FROM approval_tasks t JOIN approvals a ON a.tenant_id = t.tenant_id AND a.id = t.approval_id
 WHERE t.closed_at IS NULL AND a.status <> 'pending'
   AND ($1::text IS NULL OR t.tenant_id = $1)
   AND ($2::text[] IS NULL OR t.approval_id = ANY($2::text[]))
 LIMIT 500
