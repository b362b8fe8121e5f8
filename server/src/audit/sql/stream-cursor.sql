-- The seq the SIEM has acknowledged for a tenant (0: nothing yet).
-- $1 tenant id
SELECT coalesce((SELECT seq FROM audit_stream_cursors WHERE tenant_id = $1), 0) AS seq
