-- The approved approvals an apply write carries out: same record, a field the write sets, and
-- the event of the last approval is the write's caused_by (an `approve` or `approval_batch`
-- event; a batch event causes several writes, one per approval).
-- $1 tenant_id (text), $2 object_type (text), $3 object_id (text), $4 fields (text[]), $5 caused_by (text)
SELECT * FROM approvals
 WHERE tenant_id = $1 AND object_type = $2 AND object_id = $3 AND field = ANY($4::text[])
   AND status = 'approved' AND approved_by -> -1 ->> 'eventId' = $5
 ORDER BY id
   FOR UPDATE
