-- Tenants whose chain has events the SIEM has not acknowledged.
-- $1 now (a tenant backing off after a failure is not due yet)
SELECT h.tenant_id FROM audit_heads h
  LEFT JOIN audit_stream_cursors c ON c.tenant_id = h.tenant_id
  WHERE h.seq > coalesce(c.seq, 0) AND (c.next_at IS NULL OR c.next_at <= $1)
  ORDER BY h.tenant_id
