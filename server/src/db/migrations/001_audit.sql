-- Audit log (docs/contracts.md#audit-event): append-only, one row per step, hash-chained per tenant.
--
-- audit_events  one row per event. `event` is the whole event (jsonb) including prev_hash and
--               hash; the other columns are copies kept for ordering and filtering, and
--               verify() checks that they agree with `event`.
--               `id` is the global recorded order (query cursors); `seq` numbers a tenant's
--               chain from 1 without gaps.
-- audit_heads   each tenant's chain head (last seq and hash; base_hash is the head the last
--               append started from). Appends update this row first, which locks it and
--               serialises a tenant's writers, so the chain never forks.
-- audit_checkpoints  Ed25519-signed chain heads. `at` is text: it is the exact string that was
--               signed, and a timestamptz round trip would reformat it.
--
-- The database itself refuses UPDATE, DELETE and TRUNCATE on audit_events and
-- audit_checkpoints, whoever asks; only a superuser disabling triggers gets past, and verify()
-- then finds what changed.

CREATE TABLE IF NOT EXISTS audit_events (
  id           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  event_id     text PRIMARY KEY,
  tenant_id    text NOT NULL,
  seq          bigint NOT NULL,
  occurred_at  timestamptz NOT NULL,
  recorded_at  timestamptz NOT NULL,
  object_type  text,
  object_id    text,
  agent_id     text,          -- actor.id when actor.type = 'agent'
  run_id       text,
  outcome      text,          -- decision.outcome
  event        jsonb NOT NULL,
  prev_hash    text NOT NULL,
  hash         text NOT NULL,
  UNIQUE (tenant_id, seq)
);
CREATE INDEX IF NOT EXISTS audit_events_tenant_id ON audit_events (tenant_id, id);
CREATE INDEX IF NOT EXISTS audit_events_object ON audit_events (tenant_id, object_type, object_id, id);
CREATE INDEX IF NOT EXISTS audit_events_agent ON audit_events (tenant_id, agent_id, id);
CREATE INDEX IF NOT EXISTS audit_events_run ON audit_events (tenant_id, run_id, id);
CREATE INDEX IF NOT EXISTS audit_events_outcome ON audit_events (tenant_id, outcome, id);
CREATE INDEX IF NOT EXISTS audit_events_occurred ON audit_events (tenant_id, occurred_at);

CREATE TABLE IF NOT EXISTS audit_heads (
  tenant_id  text PRIMARY KEY,
  seq        bigint NOT NULL,
  hash       text NOT NULL,
  base_hash  text
);

CREATE TABLE IF NOT EXISTS audit_checkpoints (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  text NOT NULL,
  seq        bigint NOT NULL,
  hash       text NOT NULL,
  at         text NOT NULL,
  key_id     text NOT NULL,
  signature  text NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_checkpoints_tenant ON audit_checkpoints (tenant_id, seq);

CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

-- Statement-level, so even an UPDATE or DELETE that matches no row is refused.
DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events;
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
DROP TRIGGER IF EXISTS audit_checkpoints_append_only ON audit_checkpoints;
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
DROP TRIGGER IF EXISTS audit_checkpoints_no_truncate ON audit_checkpoints;
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- audit_chain_hash(p_prev, p_heads, p_tails): the hash of the last of the events after p_prev.
-- For each event: hash = sha256(prev_hash || canonical_json), where canonical_json =
-- head || prev_hash || tail (see audit_append) — the same bytes the TypeScript
-- computeEventHash() hashes, so verify() in TypeScript checks what the database wrote.
CREATE OR REPLACE FUNCTION audit_chain_hash(p_prev text, p_heads text[], p_tails text[])
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_heads, 1), 0) LOOP
    p_prev := encode(sha256(convert_to(p_prev || p_heads[i] || p_prev || p_tails[i], 'UTF8')), 'hex');
  END LOOP;
  RETURN p_prev;
END $$;

-- audit_append(p_tenant, p_heads, p_tails) appends events to one tenant's chain in one
-- statement, so an append costs one round trip, like a plain INSERT.
--   p_tenant  the tenant; every event must carry it as tenant_id
--   p_heads, p_tails  per event, the canonical JSON of the event without `hash`, split around
--             the value of prev_hash: canonical_json = head || prev_hash || tail. The caller
--             cannot know prev_hash before it holds the head lock; this function does.
-- Returns the hashes: [prev_hash of the first event, hash of event 1, hash of event 2, …].
-- One UPDATE locks the head, reads it and moves it (base_hash keeps the old hash for RETURNING),
-- which costs less than SELECT … FOR UPDATE followed by an UPDATE.
CREATE OR REPLACE FUNCTION audit_append(p_tenant text, p_heads text[], p_tails text[])
RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  n       int := coalesce(array_length(p_heads, 1), 0);
  v_seq   bigint;
  v_hash  text;
  v_prev  text;
  v_text  text;
  v_ev    jsonb;
  v_out   text[];
BEGIN
  FOR attempt IN 1 .. 2 LOOP
    UPDATE audit_heads h SET base_hash = h.hash, seq = h.seq + n, hash = audit_chain_hash(h.hash, p_heads, p_tails)
      WHERE h.tenant_id = p_tenant RETURNING h.seq - n, h.base_hash INTO v_seq, v_hash;
    EXIT WHEN FOUND;
    -- The tenant's first append: create its head at genesis, then take it as above.
    INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (p_tenant, 0, repeat('0', 64))
      ON CONFLICT (tenant_id) DO NOTHING;
  END LOOP;
  v_out := ARRAY[v_hash];
  FOR i IN 1 .. n LOOP
    v_prev := v_hash;
    v_text := p_heads[i] || v_prev || p_tails[i];
    v_hash := encode(sha256(convert_to(v_prev || v_text, 'UTF8')), 'hex');
    v_seq := v_seq + 1;
    -- The stored event is the hashed text plus its hash, parsed once (the text ends with "}").
    v_ev := (left(v_text, -1) || ',"hash":"' || v_hash || '"}')::jsonb;
    IF v_ev->>'tenant_id' IS DISTINCT FROM p_tenant OR v_ev->>'prev_hash' IS DISTINCT FROM v_prev THEN
      RAISE EXCEPTION 'audit_append: event % does not belong to tenant % at this head', v_ev->>'event_id', p_tenant;
    END IF;
    INSERT INTO audit_events (event_id, tenant_id, seq, occurred_at, recorded_at, object_type, object_id,
                              agent_id, run_id, outcome, event, prev_hash, hash)
    VALUES (v_ev->>'event_id', p_tenant, v_seq, (v_ev->>'occurred_at')::timestamptz,
            (v_ev->>'recorded_at')::timestamptz, v_ev->>'object_type', v_ev->>'object_id',
            CASE WHEN v_ev->'actor'->>'type' = 'agent' THEN v_ev->'actor'->>'id' END,
            v_ev->>'run_id', v_ev->'decision'->>'outcome',
            v_ev, v_prev, v_hash);
    v_out := v_out || v_hash;
  END LOOP;
  RETURN v_out;
END $$;
