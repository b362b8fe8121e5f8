-- Records a state as used, atomically: only the first caller wins (a replay finds the row).
-- $1 state (text), $2 now (timestamptz), $3 expires_at (timestamptz)
INSERT INTO oauth_states (state, crm, created_at, expires_at, used_at) VALUES ($1, 'hubspot', $2, $3, $2)
ON CONFLICT (state) DO NOTHING
RETURNING state
