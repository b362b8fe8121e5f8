-- Sampled actions; an event already sampled is left alone. Arrays, one entry per item:
-- $1 id, $2 tenant_id, $3 event_id, $4 agent_id, $5 action, $6 crm, $7 object_type, $8 object_id,
-- $9 tier integer[], $10 outcome, $11 reason, $12 rate float8[], $13 created_at timestamptz[]
INSERT INTO qa_items (id, tenant_id, event_id, agent_id, action, crm, object_type, object_id, tier, outcome, reason, rate, created_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::integer[], $10::text[], $11::text[], $12::float8[], $13::timestamptz[])
ON CONFLICT (tenant_id, event_id) DO NOTHING
RETURNING *
