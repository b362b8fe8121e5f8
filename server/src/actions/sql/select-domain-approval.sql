-- Whether a person ever approved an action sent from this sending domain: the domain is onboarded
-- (docs/policy.md, `exceptions.new_domain`). $1 tenant_id, $2 sending domain (lower case)
SELECT id FROM approvals
 WHERE tenant_id = $1 AND action IN ('send_email', 'enroll_sequence') AND status IN ('approved', 'applied')
   AND (lower(evidence->'request'->>'domain') = $2 OR split_part(evidence->'request'->>'from', '@', 2) = $2)
 LIMIT 1
