-- Whether a proposal is pending on a record's field (at most one is: approvals_one_pending).
-- $1 tenant_id (text), $2 object_type (text), $3 object_id (text), $4 field (text)
SELECT count(*)::int AS n FROM approvals
 WHERE tenant_id = $1 AND object_type = $2 AND object_id = $3 AND field = $4 AND status = 'pending'
