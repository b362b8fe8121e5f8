-- Takes an approved approval for the one action it allows (approved → applied), inside the
-- transaction that audits that action; the row lock makes a second request using the same
-- approval wait, then find nothing. No row back: someone used it first, or it is no longer approved.
-- $1 tenant_id, $2 id, $3 now
UPDATE approvals SET status = 'applied', updated_at = $3
 WHERE tenant_id = $1 AND id = $2 AND status = 'approved'
RETURNING id
