-- Fields agents changed most: allowed direct writes and auto-applied proposals (audit), plus
-- proposals people approved and Tollgate applied. $1 tenant_id, $2 from, $3 to, $4 limit
SELECT object_type, field, count(*)::int AS changes FROM (
  SELECT e.object_type, d->>'field' AS field
    FROM audit_events e CROSS JOIN LATERAL jsonb_array_elements(e.event->'field_diffs') AS d
   WHERE e.tenant_id = $1 AND e.agent_id IS NOT NULL AND e.outcome = 'allow' AND e.event->>'action' IN ('field_write', 'proposal')
     AND e.occurred_at >= $2::timestamptz AND e.occurred_at < $3::timestamptz
  UNION ALL
  SELECT a.object_type, a.field FROM approvals a
   WHERE a.tenant_id = $1 AND a.status = 'applied' AND a.updated_at >= $2::timestamptz AND a.updated_at < $3::timestamptz
) x
 WHERE field IS NOT NULL
 GROUP BY object_type, field
 ORDER BY changes DESC, object_type, field
 LIMIT $4
