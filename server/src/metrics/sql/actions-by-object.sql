-- Agent actions grouped by record, for concentration when no outbound domain is known.
-- $1 tenant_id, $2 from, $3 to
SELECT object_type, object_id, count(*)::int AS n FROM audit_events
 WHERE tenant_id = $1 AND agent_id IS NOT NULL AND outcome IS NOT NULL AND outcome <> 'observed' AND object_id IS NOT NULL
   AND occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz
 GROUP BY object_type, object_id
