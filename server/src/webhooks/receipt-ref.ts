/** A job that names its receipt instead of carrying the batch (the batch is in PostgreSQL). */
export interface ReceiptRef {
  tenantId: string;
  receipt: string;
}

export const receiptRef = (tenantId: string, receipt: string): ReceiptRef => ({ tenantId, receipt });

export function isReceiptRef(data: unknown): data is ReceiptRef {
  if (typeof data !== "object" || data === null) return false;
  const d = data as Record<string, unknown>;
  return typeof d["receipt"] === "string" && typeof d["tenantId"] === "string" && Object.keys(d).length === 2;
}
