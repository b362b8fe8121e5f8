-- Reads one state, to say why it could not be consumed.
-- $1 state (text)
SELECT used_at, expires_at FROM oauth_states WHERE state = $1
