-- Reads one installation, tokens still encrypted.
-- $1 tenant_id (text)
SELECT * FROM installations WHERE tenant_id = $1
