-- Audit log (DESIGN §6): append-only, one row per step, hash-chained per tenant.
--
-- audit_events  one row per event. `event` is the whole event (jsonb) including prev_hash and
--               hash; the other columns are copies kept for ordering and filtering, and
--               verify() checks that they agree with `event`.
--               `id` is the global recorded order (query cursors); `seq` numbers a tenant's
--               chain from 1 without gaps.
-- audit_heads   each tenant's chain head (last seq and hash). Appends lock this row, which
--               serialises a tenant's writers so the chain never forks.
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
  hash       text NOT NULL
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

-- audit_append(p_tenant, p_heads, p_tails) appends events to one tenant's chain in one
-- statement, so an append costs one round trip, like a plain INSERT.
--   p_tenant  the tenant; every event must carry it as tenant_id
--   p_heads, p_tails  per event, the canonical JSON of the event without `hash`, split around
--             the value of prev_hash: canonical_json = head || prev_hash || tail. The caller
--             cannot know prev_hash before it holds the head lock; this function does.
-- For each event: hash = sha256(prev_hash || canonical_json) — the same bytes the TypeScript
-- computeEventHash() hashes, so verify() in TypeScript checks what this wrote.
-- Returns one row per event, in order.
CREATE OR REPLACE FUNCTION audit_append(p_tenant text, p_heads text[], p_tails text[])
RETURNS TABLE (r_event_id text, r_seq bigint, r_prev_hash text, r_hash text)
LANGUAGE plpgsql AS $$
DECLARE
  v_seq   bigint;
  v_hash  text;
  v_prev  text;
  v_text  text;
  v_ev    jsonb;
BEGIN
  SELECT h.seq, h.hash INTO v_seq, v_hash FROM audit_heads h WHERE h.tenant_id = p_tenant FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (p_tenant, 0, repeat('0', 64))
      ON CONFLICT (tenant_id) DO NOTHING;
    SELECT h.seq, h.hash INTO v_seq, v_hash FROM audit_heads h WHERE h.tenant_id = p_tenant FOR UPDATE;
  END IF;
  FOR i IN 1 .. coalesce(array_length(p_heads, 1), 0) LOOP
    v_prev := v_hash;
    v_text := p_heads[i] || v_prev || p_tails[i];
    v_hash := encode(sha256(convert_to(v_prev || v_text, 'UTF8')), 'hex');
    v_seq := v_seq + 1;
    v_ev := v_text::jsonb;
    IF v_ev->>'tenant_id' IS DISTINCT FROM p_tenant OR v_ev->>'prev_hash' IS DISTINCT FROM v_prev THEN
      RAISE EXCEPTION 'audit_append: event % does not belong to tenant % at this head', v_ev->>'event_id', p_tenant;
    END IF;
    INSERT INTO audit_events (event_id, tenant_id, seq, occurred_at, recorded_at, object_type, object_id,
                              agent_id, run_id, outcome, event, prev_hash, hash)
    VALUES (v_ev->>'event_id', p_tenant, v_seq, (v_ev->>'occurred_at')::timestamptz,
            (v_ev->>'recorded_at')::timestamptz, v_ev->>'object_type', v_ev->>'object_id',
            CASE WHEN v_ev->'actor'->>'type' = 'agent' THEN v_ev->'actor'->>'id' END,
            v_ev->>'run_id', v_ev->'decision'->>'outcome',
            v_ev || jsonb_build_object('hash', v_hash), v_prev, v_hash);
    r_event_id := v_ev->>'event_id';
    r_seq := v_seq;
    r_prev_hash := v_prev;
    r_hash := v_hash;
    RETURN NEXT;
  END LOOP;
  UPDATE audit_heads SET seq = v_seq, hash = v_hash WHERE tenant_id = p_tenant;
END $$;
