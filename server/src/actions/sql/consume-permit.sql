-- Uses a permit once: only an unused, unexpired one that no kill switch over its keys has been
-- turned on against since it was issued. One statement, so two verifiers never both succeed.
-- $1 tenant_id, $2 permit_id, $3 now, $4 used_by
UPDATE permits p SET used_at = $3, used_by = $4
WHERE p.tenant_id = $1 AND p.permit_id = $2 AND p.used_at IS NULL AND p.expires_at > $3
  AND NOT EXISTS (
    SELECT 1 FROM kill_switch_history h
    WHERE h.tenant_id = p.tenant_id AND h.state = 'on' AND h.set_at >= p.issued_at
      -- kill_keys names the stored switches that cover the permit, groups included (issue-permit.ts)
      AND (CASE WHEN h.scope_type = 'tenant' THEN 'tenant' ELSE h.scope_type || ':' || h.scope_value END) = ANY (p.kill_keys)
  )
RETURNING permit_id
