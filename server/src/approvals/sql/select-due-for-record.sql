-- Pending approvals of one record past their expiry: expired before the record is listed.
-- $1 tenant_id (text), $2 object_type (text), $3 object_id (text), $4 now (timestamptz)
SELECT id FROM approvals
 WHERE tenant_id = $1 AND object_type = $2 AND object_id = $3 AND status = 'pending' AND expires_at <= $4::timestamptz
