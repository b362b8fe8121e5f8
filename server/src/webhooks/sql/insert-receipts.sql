-- Records delivered batches before the 200; a redelivery of a recorded batch changes nothing.
-- $1 ids (text[]), $2 tenant ids (text[]), $3 crm (text[]), $4 jobs as JSON text (text[])
INSERT INTO webhook_receipts (id, tenant_id, crm, job)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
ON CONFLICT (id) DO NOTHING
