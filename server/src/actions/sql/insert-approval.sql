-- An approval the gate parks: a verb (action = the verb, field = the verb, proposed_value = the
-- canonical summary of what would be done), or a field write (action = 'field_write').
-- $1 id, $2 tenant_id, $3 crm, $4 object_type, $5 object_id, $6 field, $7 action, $8 current_value,
-- $9 proposed_value, $10 confidence, $11 source, $12 reason, $13 evidence (jsonb), $14 risk_flags (jsonb),
-- $15 approvals_needed, $16 agent_id, $17 agent_role, $18 rule_id, $19 policy_version,
-- $20 proposal_event_id, $21 run_id, $22 expires_at, $23 now
INSERT INTO approvals (id, tenant_id, crm, object_type, object_id, field, shadow_field, action, current_value, proposed_value, confidence,
                       source, reason, evidence, risk_flags, approvals_needed, agent_id, agent_role, rule_id, policy_version,
                       proposal_event_id, run_id, expires_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9, $10, $11, $12, $13::jsonb, $14::jsonb, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23)
