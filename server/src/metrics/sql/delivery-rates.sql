-- Sends the gate permitted, and the bounces and complaints the sending system reported
-- (POST /v1/signals, table delivery_signals), in the range. $1 tenant_id, $2 from, $3 to
SELECT
  (SELECT count(*)::int FROM audit_events
    WHERE tenant_id = $1 AND agent_id IS NOT NULL AND outcome = 'allow' AND event->>'action' = 'send_email'
      AND occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz) AS sends,
  (SELECT count(*)::int FROM delivery_signals
    WHERE tenant_id = $1 AND type = 'bounce' AND occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz) AS bounces,
  (SELECT count(*)::int FROM delivery_signals
    WHERE tenant_id = $1 AND type = 'complaint' AND occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz) AS complaints
