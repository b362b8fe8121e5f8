-- Notes that the sweep queued receipts again.
-- $1 ids (text[])
UPDATE webhook_receipts SET requeues = requeues + 1, requeued_at = now() WHERE id = ANY($1::text[])
