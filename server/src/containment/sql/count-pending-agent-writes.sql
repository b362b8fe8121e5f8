-- Queued agent writes of a tenant not sent yet, by agent and purpose (which of them a switch holds
-- is decided in code, by the same rule as the write queue's hold).
-- $1 tenant_id
SELECT agent_id, purpose, count(*)::int AS n FROM crm_writes
WHERE tenant_id = $1 AND status = 'pending' AND agent_id IS NOT NULL GROUP BY agent_id, purpose
