-- Remembers a user Tollgate froze for a switch. $1 tenant_id, $2 user_id, $3 agent_id, $4 switch_key, $5 frozen_at
INSERT INTO containment_frozen_users (tenant_id, user_id, agent_id, switch_key, frozen_at)
VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
