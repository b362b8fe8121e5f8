-- Whether a recipient unsubscribed or complained. $1 tenant_id, $2 recipient
SELECT EXISTS (
  SELECT 1 FROM delivery_signals
  WHERE tenant_id = $1 AND lower(recipient) = lower($2) AND type IN ('unsubscribe', 'complaint')
) AS suppressed
