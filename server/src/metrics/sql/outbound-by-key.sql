-- Agents' allowed outbound actions grouped by recipient email domain, as the gate records them
-- (evidence.request.to, the payload's `to`, actions/build-action-event.ts); NULL key where none.
-- $1 tenant_id, $2 from, $3 to
SELECT lower(nullif(split_part(coalesce(e.event->'evidence'->'request'->>'to', e.event->'evidence'->'payload'->>'to'), '@', 2), '')) AS domain,
       e.object_type, e.object_id, count(*)::int AS n
  FROM audit_events e
 WHERE e.tenant_id = $1 AND e.agent_id IS NOT NULL AND e.outcome = 'allow'
   AND e.event->>'action' IN ('send_email', 'enroll_sequence', 'book_meeting')
   AND e.occurred_at >= $2::timestamptz AND e.occurred_at < $3::timestamptz
 GROUP BY 1, 2, 3
