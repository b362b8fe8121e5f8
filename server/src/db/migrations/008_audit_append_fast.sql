-- Cheaper audit appends (docs/contracts.md#audit-event), same chain, same stored rows, same guarantees.
--
-- 001's audit_append hashed every event twice: once in audit_chain_hash() to move the head in
-- its locking UPDATE, and again in the loop to store each event. Measured per append against a
-- plain INSERT of the same row (sequential, one commit each), the second hash plus the text[]
-- parameters (array literal escaping on both ends of a ~1 KB JSON text) cost about a tenth.
--
-- audit_append_one(p_tenant, p_head, p_tail) is the single-event case, which is most appends:
-- plain text parameters, and one hash, computed in the UPDATE that locks and moves the head.
-- audit_append(p_tenant, p_heads, p_tails) keeps its signature and result; it now computes each
-- hash once (the last is the one the UPDATE already computed).

-- Stores one chained event, for both append functions: the hashed text (head || prev_hash ||
-- tail) plus its hash, parsed once (the text ends with "}"), after checking it belongs to this
-- tenant at this head — the one copy of that guard and of the column mapping.
CREATE OR REPLACE FUNCTION audit_insert_event(p_tenant text, p_seq bigint, p_prev text, p_hash text, p_text text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_ev jsonb := (left(p_text, -1) || ',"hash":"' || p_hash || '"}')::jsonb;
BEGIN
  IF v_ev->>'tenant_id' IS DISTINCT FROM p_tenant OR v_ev->>'prev_hash' IS DISTINCT FROM p_prev THEN
    RAISE EXCEPTION 'audit_append: event % does not belong to tenant % at this head', v_ev->>'event_id', p_tenant;
  END IF;
  INSERT INTO audit_events (event_id, tenant_id, seq, occurred_at, recorded_at, object_type, object_id,
                            agent_id, run_id, outcome, event, prev_hash, hash)
  VALUES (v_ev->>'event_id', p_tenant, p_seq, (v_ev->>'occurred_at')::timestamptz,
          (v_ev->>'recorded_at')::timestamptz, v_ev->>'object_type', v_ev->>'object_id',
          CASE WHEN v_ev->'actor'->>'type' = 'agent' THEN v_ev->'actor'->>'id' END,
          v_ev->>'run_id', v_ev->'decision'->>'outcome',
          v_ev, p_prev, p_hash);
END $$;

-- Returns [prev_hash, hash] of the one event; see audit_append in 001 for the parameters.
CREATE OR REPLACE FUNCTION audit_append_one(p_tenant text, p_head text, p_tail text)
RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  v_seq   bigint;
  v_prev  text;
  v_hash  text;
BEGIN
  FOR attempt IN 1 .. 2 LOOP
    UPDATE audit_heads h SET base_hash = h.hash, seq = h.seq + 1,
        hash = encode(sha256(convert_to(h.hash || p_head || h.hash || p_tail, 'UTF8')), 'hex')
      WHERE h.tenant_id = p_tenant RETURNING h.seq, h.base_hash, h.hash INTO v_seq, v_prev, v_hash;
    EXIT WHEN FOUND;
    INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (p_tenant, 0, repeat('0', 64))
      ON CONFLICT (tenant_id) DO NOTHING;
  END LOOP;
  PERFORM audit_insert_event(p_tenant, v_seq, v_prev, v_hash, p_head || v_prev || p_tail);
  RETURN ARRAY[v_prev, v_hash];
END $$;

CREATE OR REPLACE FUNCTION audit_append(p_tenant text, p_heads text[], p_tails text[])
RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  n       int := coalesce(array_length(p_heads, 1), 0);
  v_seq   bigint;
  v_hash  text;
  v_last  text;
  v_prev  text;
  v_text  text;
  v_out   text[];
BEGIN
  FOR attempt IN 1 .. 2 LOOP
    UPDATE audit_heads h SET base_hash = h.hash, seq = h.seq + n, hash = audit_chain_hash(h.hash, p_heads, p_tails)
      WHERE h.tenant_id = p_tenant RETURNING h.seq - n, h.base_hash, h.hash INTO v_seq, v_hash, v_last;
    EXIT WHEN FOUND;
    INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (p_tenant, 0, repeat('0', 64))
      ON CONFLICT (tenant_id) DO NOTHING;
  END LOOP;
  v_out := ARRAY[v_hash];
  FOR i IN 1 .. n LOOP
    v_prev := v_hash;
    v_text := p_heads[i] || v_prev || p_tails[i];
    -- The head's new hash is the last event's: no need to compute it again.
    v_hash := CASE WHEN i = n THEN v_last ELSE encode(sha256(convert_to(v_prev || v_text, 'UTF8')), 'hex') END;
    v_seq := v_seq + 1;
    PERFORM audit_insert_event(p_tenant, v_seq, v_prev, v_hash, v_text);
    v_out := v_out || v_hash;
  END LOOP;
  RETURN v_out;
END $$;
