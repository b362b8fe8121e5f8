-- Stores signals, once each (a retried report is not counted twice). Returns the ids stored now.
-- $1 ids text[], $2 tenant_id, $3 types text[], $4 event_ids text[], $5 agent_ids text[],
-- $6 recipients text[], $7 domains text[], $8 occurred_ats timestamptz[], $9 received_at, $10 received_by
INSERT INTO delivery_signals (id, tenant_id, type, event_id, agent_id, recipient, domain, occurred_at, received_at, received_by)
SELECT s.id, $2, s.type, s.event_id, s.agent_id, s.recipient, s.domain, s.occurred_at, $9, $10
FROM unnest($1::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
  AS s(id, type, event_id, agent_id, recipient, domain, occurred_at)
ON CONFLICT (id) DO NOTHING
RETURNING id
