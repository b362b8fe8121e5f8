-- How far the reconciliation sweep (reconcile/) has looked, per tenant and object type: the next
-- sweep asks the CRM for records modified since then (docs/operations.md, "What survives losing Redis").
CREATE TABLE IF NOT EXISTS reconcile_state (
  tenant_id    text NOT NULL,
  crm          text NOT NULL,
  object_type  text NOT NULL,
  swept_until  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, crm, object_type)
);
