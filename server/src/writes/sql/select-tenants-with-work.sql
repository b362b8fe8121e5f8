-- Tenants with unsettled rows, to re-queue on start.
-- (no parameters)
SELECT DISTINCT tenant_id FROM crm_writes WHERE status IN ('pending', 'in_flight')
