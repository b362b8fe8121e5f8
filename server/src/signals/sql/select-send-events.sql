-- The sends signals name: who sent them and from which domain. $1 tenant_id, $2 event ids text[]
SELECT event_id, agent_id, event->'evidence'->'request'->>'domain' AS domain
FROM audit_events WHERE tenant_id = $1 AND event_id = ANY($2::text[])
