-- Sends the gate permitted in (since, until]. $1 tenant_id, $2 since, $3 until,
-- $4 agent ids text[] (null: every agent), $5 sending domain (null: every domain)
SELECT count(*)::int AS n FROM audit_events
WHERE tenant_id = $1 AND outcome = 'allow' AND event->>'action' = 'send_email'
  AND occurred_at > $2 AND occurred_at <= $3
  AND ($4::text[] IS NULL OR agent_id = ANY($4::text[]))
  AND ($5::text IS NULL OR lower(event->'evidence'->'request'->>'domain') = lower($5))
