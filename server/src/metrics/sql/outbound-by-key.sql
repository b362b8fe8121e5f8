-- Agents' allowed outbound actions grouped by recipient email domain (evidence.domain, or the
-- domain of evidence.to / email / recipient); NULL key where none is known.
-- $1 tenant_id, $2 from, $3 to
SELECT lower(nullif(coalesce(e.event->'evidence'->>'domain',
                             split_part(coalesce(e.event->'evidence'->>'to', e.event->'evidence'->>'email', e.event->'evidence'->>'recipient'), '@', 2)), '')) AS domain,
       e.object_type, e.object_id, count(*)::int AS n
  FROM audit_events e
 WHERE e.tenant_id = $1 AND e.agent_id IS NOT NULL AND e.outcome = 'allow'
   AND e.event->>'action' IN ('send_email', 'enroll_sequence', 'book_meeting')
   AND e.occurred_at >= $2::timestamptz AND e.occurred_at < $3::timestamptz
 GROUP BY 1, 2, 3
