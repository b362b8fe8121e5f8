-- From an approval's creation to a person's first decision on it: the first audit event naming
-- the approval with a human actor, else (for a decided approval without one) its last update.
-- $1 tenant_id, $2 from, $3 to (approvals created in the range)
WITH decided AS (
  SELECT e.event->'approval'->>'id' AS approval_id, min(e.occurred_at) AS at
    FROM audit_events e
   WHERE e.tenant_id = $1 AND e.event->'actor'->>'type' = 'human' AND jsonb_typeof(e.event->'approval') = 'object'
     AND e.occurred_at >= $2::timestamptz
   GROUP BY 1
), waits AS (
  SELECT extract(epoch FROM (coalesce(d.at, CASE WHEN a.status IN ('approved', 'applied', 'rejected') AND coalesce(a.rejected_by, '') <> 'tollgate' THEN a.updated_at END) - a.created_at)) AS seconds
    FROM approvals a LEFT JOIN decided d ON d.approval_id = a.id
   WHERE a.tenant_id = $1 AND a.created_at >= $2::timestamptz AND a.created_at < $3::timestamptz
)
SELECT count(seconds)::int AS n,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS p50,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90
  FROM waits WHERE seconds IS NOT NULL
