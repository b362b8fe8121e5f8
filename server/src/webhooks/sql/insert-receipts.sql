-- Records delivered batches before the 200; a redelivery of a recorded batch changes nothing.
-- One VALUES row (id, tenant id, crm, job as JSON text) per receipt, put in by create-receipt-store.ts.
INSERT INTO webhook_receipts (id, tenant_id, crm, job)
VALUES /* rows */
ON CONFLICT (id) DO NOTHING
