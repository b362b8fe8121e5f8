import type { StoredApproval } from "./approval-store.js";

/**
 * What one approval notification says: a subject a rep reads in their task list, and its details.
 * A field write names the field by `fieldLabel` (the portal's label) when there is one.
 */
export function describeApprovalTask(a: StoredApproval, fieldLabel?: string): { subject: string; body: string } {
  const field = (a.action ?? "field_write") === "field_write";
  const request = (a.evidence as { request?: Record<string, unknown> } | null)?.request ?? {};
  const what = field
    ? `${fieldLabel ?? a.field} → ${JSON.stringify(a.proposedValue ?? "")}`
    : [a.action, typeof request.to === "string" ? `to ${request.to}` : "", subjectOf(request)]
        .filter(Boolean)
        .join(" ");
  const lines = [
    `An AI agent${a.agentId ? ` (${a.agentId})` : ""} asks for approval: ${what}.`,
    a.reason ? `Reason: ${a.reason}` : "",
    a.confidence === null ? "" : `Confidence: ${Math.round(a.confidence * 100)}%`,
    a.riskFlags.length > 0 ? `Risk flags: ${a.riskFlags.join(", ")}` : "",
    `Approvals needed: ${a.approvalsNeeded}. Expires ${a.expiresAt}.`,
    "Decide in the record's “AI proposals awaiting approval” card, or in Tollgate's approval inbox (the app's home page).",
    `Approval ${a.id}`,
  ];
  return { subject: `Approve AI proposal: ${what}`.slice(0, 250), body: lines.filter(Boolean).join("\n") };
}

function subjectOf(request: Record<string, unknown>): string {
  return typeof request.subject === "string" ? `“${request.subject}”` : "";
}
