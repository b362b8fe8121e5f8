-- Sets aside a receipt that can never be processed (its job does not decode): kept, visible, not retried.
-- $1 id, $2 error
UPDATE webhook_receipts SET status = 'set_aside', error = $2 WHERE id = $1 AND status = 'pending'
