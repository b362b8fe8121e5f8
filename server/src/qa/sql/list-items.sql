-- A tenant's QA items, newest first. $1 tenant_id, $2 state (NULL: any), $3 agent_id (NULL: any), $4 limit
SELECT * FROM qa_items
 WHERE tenant_id = $1 AND ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR agent_id = $3)
 ORDER BY created_at DESC, id
 LIMIT $4
