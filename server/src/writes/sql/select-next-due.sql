-- One page of a tenant's unsettled rows, soonest due first, with how long until each is due.
-- $1 tenant_id (text), $2 page size (integer), $3 offset (integer)
SELECT *, GREATEST(0, EXTRACT(EPOCH FROM (COALESCE(not_before, now()) - now())) * 1000)::double precision AS due_in_ms
  FROM crm_writes
 WHERE tenant_id = $1 AND status IN ('pending', 'in_flight')
 ORDER BY COALESCE(not_before, '-infinity'::timestamptz), seq
 LIMIT $2 OFFSET $3
