-- A tenant's unsettled agent writes, due or not (a row backing off is cancelled too), locked for
-- the claiming transaction: what a kill switch may cancel (docs/operations.md, containment).
-- $1 tenant_id (text)
SELECT * FROM crm_writes
 WHERE tenant_id = $1 AND status IN ('pending', 'in_flight') AND agent_id IS NOT NULL
 ORDER BY seq
   FOR UPDATE SKIP LOCKED
