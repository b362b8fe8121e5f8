-- Webhook receipts (docs/operations.md, "What survives losing Redis"): a batch is recorded here
-- before the CRM gets its 200, so a crash plus the loss of Redis after the 200 loses nothing.
-- One row per tenant's share of a delivered batch; `id` is also its BullMQ job id. The worker
-- marks a receipt done in the same transaction that enforces its changes; receipts still
-- pending are queued again on start and by a periodic sweep.
CREATE TABLE IF NOT EXISTS webhook_receipts (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL,
  crm          text NOT NULL CHECK (crm IN ('hubspot', 'salesforce')),
  -- The job as queued (compact JSON, webhooks/encode-webhook-job.ts): text, not jsonb, so the
  -- intake pays no JSON parse inside PostgreSQL.
  job          text NOT NULL,
  -- set_aside: input that can never succeed (malformed job), kept and visible, never retried.
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'set_aside')),
  received_at  timestamptz NOT NULL DEFAULT now(),
  -- Times the sweep queued it again (Redis lost it, or its job failed).
  requeues     integer NOT NULL DEFAULT 0,
  requeued_at  timestamptz,
  done_at      timestamptz,
  error        text
);
CREATE INDEX IF NOT EXISTS webhook_receipts_pending ON webhook_receipts (received_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS webhook_receipts_done ON webhook_receipts (done_at) WHERE status = 'done';

-- Tenants that have webhook queues: any process's workers learn them from here (Redis only
-- announces new ones), so a Redis flush or a worker-only process never leaves a queue unconsumed.
CREATE TABLE IF NOT EXISTS webhook_tenants (
  crm            text NOT NULL,
  tenant_id      text NOT NULL,
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (crm, tenant_id)
);
