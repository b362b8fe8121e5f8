-- Why a permit could not be used. $1 tenant_id, $2 permit_id
SELECT p.used_at, p.expires_at,
  (SELECT h.scope_type || ':' || h.scope_value FROM kill_switch_history h
    WHERE h.tenant_id = p.tenant_id AND h.state = 'on' AND h.set_at >= p.issued_at
      -- kill_keys names the stored switches that cover the permit, groups included (issue-permit.ts)
      AND (CASE WHEN h.scope_type = 'tenant' THEN 'tenant' ELSE h.scope_type || ':' || h.scope_value END) = ANY (p.kill_keys)
    ORDER BY h.set_at LIMIT 1) AS killed_by
FROM permits p WHERE p.tenant_id = $1 AND p.permit_id = $2
