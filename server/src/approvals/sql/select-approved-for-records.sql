-- Approved approvals on the records a flush settled, with the event of their last approval: a
-- cheap first look (the by-record index) so writes that carry out no approval cost no lock.
-- $1 tenant_id (text), $2 object_types (text[]), $3 object_ids (text[])
SELECT object_type, object_id, field, approved_by -> -1 ->> 'eventId' AS event_id
  FROM approvals
 WHERE tenant_id = $1 AND object_type = ANY($2::text[]) AND object_id = ANY($3::text[]) AND status = 'approved'
