-- Proposals people decided, by how they ended. A proposal superseded by a newer one was not a
-- person's rejection, and one approved but not applicable (conflict, failed) counts as neither.
-- $1 tenant_id, $2 from, $3 to (created_at)
SELECT count(*) FILTER (WHERE status IN ('approved', 'applied'))::int AS applied,
       count(*) FILTER (WHERE status = 'rejected' AND coalesce(rejected_by, '') <> 'tollgate')::int AS rejected,
       count(*) FILTER (WHERE status = 'expired')::int AS expired,
       count(*) FILTER (WHERE status = 'pending')::int AS pending
  FROM approvals WHERE tenant_id = $1 AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
