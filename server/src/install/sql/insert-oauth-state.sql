-- Issues one OAuth state.
-- $1 state (text), $2 created_at (timestamptz), $3 expires_at (timestamptz)
INSERT INTO oauth_states (state, crm, created_at, expires_at) VALUES ($1, 'hubspot', $2, $3)
