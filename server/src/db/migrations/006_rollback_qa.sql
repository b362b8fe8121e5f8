-- Rollback jobs, QA sampling (requirements R6, R9).
--
-- rollback_jobs   one row per rollback a person asked for (docs/contracts.md#http-api POST /v1/rollback). The
--                 counters are a cache: they are recomputed from rollback_items and crm_writes
--                 whenever writes settle and whenever the job is read, so a lost hook never
--                 leaves a job stuck.
-- rollback_items  one row per restored (record, field): the agent events it undoes, the value it
--                 restores and the crm_writes row that carries it out. An event with a live item
--                 (pending or done) is not selected again by a later rollback.
-- qa_items        agent actions picked for human QA review, with the reason and rate.
-- qa_seen         the first time a tenant saw a segment, data source or sequence, so QA can
--                 oversample what is new.

CREATE TABLE IF NOT EXISTS rollback_jobs (
  id            text PRIMARY KEY,
  tenant_id     text NOT NULL,
  requested_by  jsonb NOT NULL,
  request       jsonb NOT NULL,
  state         text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
  total         integer NOT NULL DEFAULT 0,
  done          integer NOT NULL DEFAULT 0,
  failed        integer NOT NULL DEFAULT 0,
  skipped       integer NOT NULL DEFAULT 0,
  -- Conflicts found when planning: [{eventId, objectType, objectId, field, current, expected, changedBy}]
  conflicts     jsonb NOT NULL DEFAULT '[]',
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  finished_at   timestamptz
);
CREATE INDEX IF NOT EXISTS rollback_jobs_tenant ON rollback_jobs (tenant_id, created_at DESC);

CREATE TABLE IF NOT EXISTS rollback_items (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id         text NOT NULL REFERENCES rollback_jobs (id),
  tenant_id      text NOT NULL,
  crm            text NOT NULL,
  object_type    text NOT NULL,
  object_id      text NOT NULL,
  field          text NOT NULL,
  -- The agent events this item undoes (every selected change of the field), earliest first.
  event_ids      text[] NOT NULL,
  restore_to     text,
  -- The agent's value the record must still hold (NULL when forced).
  expected       text,
  forced         boolean NOT NULL DEFAULT false,
  -- The `rollback` audit event (intent) and the write carrying it out.
  intent_event_id text NOT NULL,
  write_id       text NOT NULL,
  state          text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
  error          text
);
CREATE INDEX IF NOT EXISTS rollback_items_job ON rollback_items (job_id);
CREATE INDEX IF NOT EXISTS rollback_items_write ON rollback_items (write_id);
CREATE INDEX IF NOT EXISTS rollback_items_events ON rollback_items USING gin (event_ids);

CREATE TABLE IF NOT EXISTS qa_items (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL,
  event_id        text NOT NULL,
  agent_id        text,
  action          text NOT NULL,
  crm             text,
  object_type     text,
  object_id       text,
  tier            integer,
  outcome         text,
  -- Why it was picked (`restricted`, `base`, `new_source`, …) and at what rate.
  reason          text NOT NULL,
  rate            double precision NOT NULL,
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'reviewed')),
  verdict         text CHECK (verdict IN ('pass', 'fail')),
  scorecard       jsonb,
  reviewer        text,
  notes           text,
  review_event_id text,
  created_at      timestamptz NOT NULL,
  reviewed_at     timestamptz,
  UNIQUE (tenant_id, event_id)
);
CREATE INDEX IF NOT EXISTS qa_items_queue ON qa_items (tenant_id, state, created_at DESC);

CREATE TABLE IF NOT EXISTS qa_seen (
  tenant_id      text NOT NULL,
  kind           text NOT NULL,
  value          text NOT NULL,
  first_seen_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, kind, value)
);

-- Exceptions: who owns one and what was said at each step (the table is in 004).
ALTER TABLE exceptions ADD COLUMN IF NOT EXISTS notes jsonb NOT NULL DEFAULT '[]';
ALTER TABLE exceptions ADD COLUMN IF NOT EXISTS reviewed_at timestamptz;
ALTER TABLE exceptions ADD COLUMN IF NOT EXISTS remediated_at timestamptz;
ALTER TABLE exceptions ADD COLUMN IF NOT EXISTS closed_at timestamptz;
