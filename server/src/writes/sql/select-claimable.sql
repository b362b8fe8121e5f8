-- One page of a tenant's rows that may be sent now, locked for the claiming transaction.
-- In-flight rows are included: only one flush per tenant runs at a time (one BullMQ job id),
-- so an in-flight row seen here was left by a flush that died.
-- $1 tenant_id (text), $2 after seq (bigint), $3 page size (integer)
SELECT * FROM crm_writes
 WHERE tenant_id = $1
   AND status IN ('pending', 'in_flight')
   AND (not_before IS NULL OR not_before <= now())
   AND seq > $2
 ORDER BY seq
 LIMIT $3
   FOR UPDATE SKIP LOCKED
