-- What the provenance view adds to events that name an approval: its state now.
-- $1 tenant_id (text), $2 ids (text[])
SELECT id, status, approvals_needed, approved_by, rule_id, policy_version, reject_reason
  FROM approvals WHERE tenant_id = $1 AND id = ANY($2::text[])
