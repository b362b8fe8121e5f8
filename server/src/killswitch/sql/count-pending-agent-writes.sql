-- Queued agent writes of a tenant that have not left yet, by agent and purpose: what a new
-- switch will hold (reported in its audit event as what it stopped in flight).
-- $1 tenant_id
SELECT agent_id, purpose, count(*)::int AS n FROM crm_writes
WHERE tenant_id = $1 AND status = 'pending' AND agent_id IS NOT NULL GROUP BY agent_id, purpose
