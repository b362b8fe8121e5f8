-- One page of a record's governed changes from the audit log, newest first (recorded order).
-- Failed CRM writes are included: they are changes that did not happen (conflicts, errors).
-- $1 tenant_id (text), $2 object_type (text), $3 object_id (text), $4 actions (text[]),
-- $5 before id (bigint|null: the cursor), $6 limit (integer)
SELECT id, event FROM audit_events
 WHERE tenant_id = $1 AND object_type = $2 AND object_id = $3
   AND (event->>'action' = ANY($4::text[]) OR (event->>'action' = 'crm_write' AND event->>'result' = 'failed'))
   AND ($5::bigint IS NULL OR id < $5::bigint)
 ORDER BY id DESC
 LIMIT $6
