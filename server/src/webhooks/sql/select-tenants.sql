-- Every tenant with a webhook queue.
-- $1 crm
SELECT tenant_id FROM webhook_tenants WHERE crm = $1 ORDER BY tenant_id
