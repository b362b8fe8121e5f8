-- Permits issued before a switch turned on, not used, not expired, that one of its keys covers:
-- the switch revoked them (the verifier refuses them from its history row on).
-- $1 tenant_id, $2 switch keys (text[]), $3 switch set_at
SELECT count(*)::int AS n FROM permits
WHERE tenant_id = $1 AND used_at IS NULL AND expires_at > $3 AND issued_at <= $3 AND kill_keys && $2
