-- The data providers a person has approved a change from: onboarded for the tenant
-- (docs/policy.md, `exceptions.new_provider`). $1 tenant_id, $2 providers (lower case)
SELECT DISTINCT lower(source) AS provider FROM approvals
 WHERE tenant_id = $1 AND status IN ('approved', 'applied') AND lower(source) = ANY($2::text[])
