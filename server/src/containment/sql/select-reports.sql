-- The containment reports of some switch changes of a tenant.
-- $1 tenant_id, $2 event_ids (text[])
SELECT event_id, report FROM containment_reports WHERE tenant_id = $1 AND event_id = ANY ($2)
