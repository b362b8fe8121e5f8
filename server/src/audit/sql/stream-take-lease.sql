-- Takes a tenant's delivery lease, so two processes never send the same batch at once
-- (run stream-ensure-cursor first).
-- $1 tenant id, $2 lease owner, $3 now, $4 lease until
-- Returns the seq delivered so far; no row when another process holds the lease or the tenant backs off.
UPDATE audit_stream_cursors SET lease_owner = $2, lease_until = $4
  WHERE tenant_id = $1 AND (lease_until IS NULL OR lease_until < $3 OR lease_owner = $2)
    AND (next_at IS NULL OR next_at <= $3)
  RETURNING seq
