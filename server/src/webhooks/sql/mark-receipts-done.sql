-- Marks receipts processed (inside the enforcement transaction, so both commit or neither).
-- The job is never read again once done: its values (some the CRM marks sensitive) are dropped
-- rather than kept in clear until pruned (docs/operations.md#security).
-- $1 ids (text[])
UPDATE webhook_receipts SET status = 'done', done_at = now(), error = NULL, job = ''
WHERE id = ANY($1::text[]) AND status <> 'done'
