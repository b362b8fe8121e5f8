-- The approval a person gave to an earlier send of this template family: later sends of the
-- family carry it (R12 drill 2). Most recent first. $1 tenant_id, $2 template
SELECT id, approved_by, expires_at FROM approvals
 WHERE tenant_id = $1 AND action = 'send_email' AND status IN ('approved', 'applied')
   AND evidence->'request'->>'template' = $2
 ORDER BY updated_at DESC
 LIMIT 1
