-- Gives the lease back; after a failure ($3 not null) the tenant backs off exponentially.
-- $1 tenant id, $2 lease owner, $3 error or null, $4 now, $5 base delay ms, $6 max delay ms
UPDATE audit_stream_cursors
  SET lease_owner = NULL, lease_until = NULL, updated_at = $4,
      failures = CASE WHEN $3::text IS NULL THEN failures ELSE failures + 1 END,
      last_error = coalesce($3::text, last_error),
      next_at = CASE WHEN $3::text IS NULL THEN next_at
                ELSE $4::timestamptz + least($5::float8 * power(2, failures), $6::float8) * interval '1 millisecond' END
  WHERE tenant_id = $1 AND lease_owner = $2
