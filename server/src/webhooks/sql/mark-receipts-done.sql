-- Marks receipts processed (inside the enforcement transaction, so both commit or neither).
-- $1 ids (text[])
UPDATE webhook_receipts SET status = 'done', done_at = now(), error = NULL
WHERE id = ANY($1::text[]) AND status <> 'done'
