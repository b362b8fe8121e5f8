-- The newest request for a record and verb is the one a person should see; an older pending
-- one lapses (the approvals_one_pending index allows one per record and field).
-- $1 tenant_id, $2 object_type, $3 object_id, $4 field (the verb), $5 now
UPDATE approvals SET status = 'rejected', reject_reason = 'superseded by a newer request', rejected_by = 'tollgate', updated_at = $5
 WHERE tenant_id = $1 AND object_type = $2 AND object_id = $3 AND field = $4 AND status = 'pending'
