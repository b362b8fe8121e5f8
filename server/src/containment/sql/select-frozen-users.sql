-- Users Tollgate froze for switches of a tenant, with the switch that froze them.
-- $1 tenant_id
SELECT user_id, agent_id, switch_key FROM containment_frozen_users WHERE tenant_id = $1
