-- A tenant's cursor row, at seq 0 the first time.
-- $1 tenant id
INSERT INTO audit_stream_cursors (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING
