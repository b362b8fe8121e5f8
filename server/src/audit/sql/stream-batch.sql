-- The next events to send, in chain order.
-- $1 tenant id, $2 seq delivered so far, $3 batch size
SELECT seq, event FROM audit_events WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3
