-- Queued agent writes of a tenant that have not settled yet, by agent and purpose: what a new
-- switch will cancel (reported in its audit event), and what is left to cancel.
-- $1 tenant_id
SELECT agent_id, purpose, count(*)::int AS n FROM crm_writes
WHERE tenant_id = $1 AND status IN ('pending', 'in_flight') AND agent_id IS NOT NULL GROUP BY agent_id, purpose
