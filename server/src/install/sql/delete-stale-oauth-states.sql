-- Forgets states that expired long ago, so the table never grows without bound.
-- $1 cutoff (timestamptz): states that expired before it are deleted
DELETE FROM oauth_states WHERE expires_at < $1
