-- Inserts planned writes as pending rows, in input order (seq follows ord).
-- $1 ids, $2 tenant_ids, $3 crms, $4 object_types, $5 object_ids, $6 properties (JSON text),
-- $7 purposes, $8 agent_ids (NULL allowed), $9 caused_by, $10 expected (JSON text or NULL) — all text[];
-- $11 sensitive_fields (JSON text)
INSERT INTO crm_writes (id, tenant_id, crm, object_type, object_id, properties, purpose, agent_id, caused_by, expected, sensitive_fields)
SELECT w.id, w.tenant_id, w.crm, w.object_type, w.object_id, w.properties::jsonb, w.purpose, w.agent_id, w.caused_by, w.expected::jsonb, w.sensitive_fields::jsonb
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
       WITH ORDINALITY AS w(id, tenant_id, crm, object_type, object_id, properties, purpose, agent_id, caused_by, expected, sensitive_fields, ord)
 ORDER BY w.ord
