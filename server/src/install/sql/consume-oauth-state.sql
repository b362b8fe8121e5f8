-- Marks a state used, atomically: only the first caller with an unexpired, unused state wins.
-- $1 state (text), $2 now (timestamptz)
UPDATE oauth_states SET used_at = $2
 WHERE state = $1 AND used_at IS NULL AND expires_at > $2
RETURNING state
