-- Approvals of one tenant by id (no lock: a first look before reading the CRM).
-- $1 tenant_id (text), $2 ids (text[])
SELECT * FROM approvals WHERE tenant_id = $1 AND id = ANY($2::text[])
