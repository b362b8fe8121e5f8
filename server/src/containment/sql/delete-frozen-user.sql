-- Forgets a user frozen for one switch (lifted). $1 tenant_id, $2 user_id, $3 switch_key
DELETE FROM containment_frozen_users WHERE tenant_id = $1 AND user_id = $2 AND switch_key = $3
