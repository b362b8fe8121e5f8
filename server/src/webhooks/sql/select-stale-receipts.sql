-- Pending receipts older than the grace period, oldest first, locked for this sweep only.
-- $1 grace (ms), $2 limit
SELECT id, tenant_id, crm, job, requeues FROM webhook_receipts
WHERE status = 'pending' AND received_at < now() - make_interval(secs => $1::double precision / 1000)
  AND (requeued_at IS NULL OR requeued_at < now() - make_interval(secs => $1::double precision / 1000))
ORDER BY received_at LIMIT $2
FOR UPDATE SKIP LOCKED
