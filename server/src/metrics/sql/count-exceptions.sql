-- Exceptions opened in the range, and the tenant's open ones now. $1 tenant_id, $2 from, $3 to, $4 now
SELECT count(*) FILTER (WHERE created_at >= $2::timestamptz AND created_at < $3::timestamptz)::int AS opened,
       count(*) FILTER (WHERE state <> 'closed')::int AS unresolved,
       count(*) FILTER (WHERE (state = 'open' AND review_due_at < $4::timestamptz)
                           OR (state IN ('open', 'reviewing') AND remediate_due_at < $4::timestamptz))::int AS overdue
  FROM exceptions WHERE tenant_id = $1
