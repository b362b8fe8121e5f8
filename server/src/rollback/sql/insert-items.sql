-- One row per restored field. $1 job_id text, $2 tenant_id text; per item (arrays): $3 crm,
-- $4 object_type, $5 object_id, $6 field, $7 event_ids (JSON text arrays), $8 restore_to,
-- $9 expected, $10 forced boolean[], $11 intent_event_id, $12 write_id
INSERT INTO rollback_items (job_id, tenant_id, crm, object_type, object_id, field, event_ids, restore_to, expected, forced, intent_event_id, write_id)
SELECT $1, $2, i.crm, i.object_type, i.object_id, i.field,
       ARRAY(SELECT jsonb_array_elements_text(i.event_ids::jsonb)), i.restore_to, i.expected, i.forced, i.intent_event_id, i.write_id
  FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::boolean[], $11::text[], $12::text[])
       AS i(crm, object_type, object_id, field, event_ids, restore_to, expected, forced, intent_event_id, write_id)
