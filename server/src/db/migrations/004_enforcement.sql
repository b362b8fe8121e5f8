-- Record values Tollgate has seen (docs/architecture.md#storage-and-services "record snapshots (prior values)"): one
-- row per
-- observed property value, from webhooks, history reads and baselines. Reverts restore the
-- latest trusted value before an agent's write; conflict checks compare against the latest.
CREATE TABLE IF NOT EXISTS record_values (
  id           bigserial PRIMARY KEY,
  tenant_id    text NOT NULL,
  crm          text NOT NULL,
  object_type  text NOT NULL,
  object_id    text NOT NULL,
  property     text NOT NULL,
  value        text,
  occurred_at  timestamptz NOT NULL,
  actor_type   text NOT NULL CHECK (actor_type IN ('agent', 'human', 'tollgate', 'unattributed', 'baseline')),
  actor_id     text,
  -- false for a value written by an agent that the policy did not allow
  trusted      boolean NOT NULL DEFAULT true,
  event_key    text NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, event_key)
);
CREATE INDEX IF NOT EXISTS record_values_lookup ON record_values (tenant_id, object_type, object_id, property, occurred_at DESC, id DESC);

-- Proposals waiting for people (docs/contracts.md#http-api approval shape). Issue 4 builds the flow on these rows.
CREATE TABLE IF NOT EXISTS approvals (
  id                text PRIMARY KEY,
  tenant_id         text NOT NULL,
  crm               text NOT NULL,
  object_type       text NOT NULL,
  object_id         text NOT NULL,
  field             text NOT NULL,
  shadow_field      text,
  action            text NOT NULL DEFAULT 'field_write',
  current_value     text,
  proposed_value    text,
  confidence        double precision,
  source            text,
  reason            text,
  evidence          jsonb,
  risk_flags        jsonb NOT NULL DEFAULT '[]',
  approvals_needed  integer NOT NULL DEFAULT 1 CHECK (approvals_needed BETWEEN 1 AND 2),
  approved_by       jsonb NOT NULL DEFAULT '[]',
  rejected_by       text,
  reject_reason     text,
  status            text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'applied', 'conflict', 'failed')),
  agent_id          text,
  agent_role        text,
  rule_id           text,
  policy_version    text,
  proposal_event_id text,
  run_id            text,
  expires_at        timestamptz NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS approvals_by_record ON approvals (tenant_id, object_type, object_id, created_at DESC);
CREATE INDEX IF NOT EXISTS approvals_pending ON approvals (tenant_id, expires_at) WHERE status = 'pending';
-- One open proposal per record and field: a newer proposal supersedes the older one.
CREATE UNIQUE INDEX IF NOT EXISTS approvals_one_pending ON approvals (tenant_id, object_type, object_id, field) WHERE status = 'pending';

-- Every action that failed a rule opens an exception (requirements R9): owner, state, SLA.
CREATE TABLE IF NOT EXISTS exceptions (
  id                 text PRIMARY KEY,
  tenant_id          text NOT NULL,
  kind               text NOT NULL,
  rule_id            text,
  agent_id           text,
  crm                text,
  object_type        text,
  object_id          text,
  field              text,
  event_id           text,
  summary            text NOT NULL,
  owner              text,
  state              text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'reviewing', 'remediated', 'closed')),
  review_due_at      timestamptz NOT NULL,
  remediate_due_at   timestamptz NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS exceptions_open ON exceptions (tenant_id, state, review_due_at);

-- Webhook events already enforced: the durable backstop behind Redis dedupe, so a job retried
-- after its transaction committed never audits or reverts twice.
CREATE TABLE IF NOT EXISTS processed_events (
  tenant_id     text NOT NULL,
  event_key     text NOT NULL,
  processed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, event_key)
);
