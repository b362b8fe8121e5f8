-- Approved approvals whose apply write has settled (done, failed, skipped or cancelled): what
-- onWritesSettled missed, e.g. after a crash between the write's commit and its callback.
-- $1 tenant_id (text|null: every tenant)
SELECT w.*
  FROM approvals a
  JOIN crm_writes w
    ON w.tenant_id = a.tenant_id AND w.caused_by = a.approved_by -> -1 ->> 'eventId'
   AND w.purpose = 'apply' AND w.object_type = a.object_type AND w.object_id = a.object_id
   AND w.properties ? a.field
 WHERE a.status = 'approved' AND w.status IN ('done', 'failed', 'skipped', 'cancelled')
   AND ($1::text IS NULL OR a.tenant_id = $1)
