-- A tenant's batches received and not yet processed (its pending receipts, whether or not their
-- job has reached Redis yet), for the backlog and containment.
-- $1 tenant_id
SELECT count(*)::int AS n FROM webhook_receipts WHERE status = 'pending' AND tenant_id = $1
