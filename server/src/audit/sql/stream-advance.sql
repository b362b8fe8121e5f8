-- The receiver acknowledged events up to $3: moves the cursor, only for the lease holder and
-- only from where it was ($2), and extends the lease.
-- $1 tenant id, $2 seq before, $3 seq after, $4 lease owner, $5 now, $6 lease until
UPDATE audit_stream_cursors
  SET seq = $3, failures = 0, last_error = NULL, next_at = NULL, updated_at = $5, lease_until = $6
  WHERE tenant_id = $1 AND seq = $2 AND lease_owner = $4
