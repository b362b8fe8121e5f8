-- Receipts by status, for metrics and the fault suite.
-- $1 tenant_id (text or null for all)
SELECT status, count(*)::int AS n FROM webhook_receipts WHERE ($1::text IS NULL OR tenant_id = $1) GROUP BY status
