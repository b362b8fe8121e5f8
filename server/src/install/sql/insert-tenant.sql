-- Registers the tenant an installation belongs to (000_tenants_policy.sql), once.
-- $1 tenant_id (text), $2 crm (text)
INSERT INTO tenants (tenant_id, crm) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING
