-- Registers a tenant that has a webhook queue.
-- $1 crm, $2 tenant_id
INSERT INTO webhook_tenants (crm, tenant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING
