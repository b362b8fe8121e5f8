-- Reverts and rollbacks planned in the range, by outcome. $1 tenant_id, $2 from, $3 to
SELECT purpose,
       count(*)::int AS planned,
       count(*) FILTER (WHERE status = 'done')::int AS done,
       count(*) FILTER (WHERE status = 'skipped')::int AS conflicts,
       count(*) FILTER (WHERE status = 'failed')::int AS failed
  FROM crm_writes
 WHERE tenant_id = $1 AND purpose IN ('revert', 'rollback') AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
 GROUP BY purpose
