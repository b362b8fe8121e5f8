-- Forgets processed receipts after the retention period (their events live on in the audit).
-- $1 retention (ms)
DELETE FROM webhook_receipts
WHERE status = 'done' AND done_at < now() - make_interval(secs => $1::double precision / 1000)
