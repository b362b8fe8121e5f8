import { type ActionRequest, canonicalJson, sha256Hex } from "../../../shared/index.js";
import { redactInline } from "../audit/index.js";

/**
 * What an approver approves, and what a retry must repeat exactly: the verb's target and
 * content. The body is bound by its hash, so the approval row stays short while a retry with
 * another body no longer matches.
 */
export function summarizeAction(r: ActionRequest): Record<string, unknown> {
  const p = r.payload ?? {};
  return {
    action: r.action,
    object: r.object,
    objectId: r.objectId,
    to: p.to?.toLowerCase(),
    from: p.from?.toLowerCase(),
    fromName: p.fromName,
    subject: p.subject,
    template: p.template,
    domain: p.domain?.toLowerCase(),
    sequenceId: p.sequenceId,
    meetingAt: p.meetingAt === undefined ? undefined : new Date(p.meetingAt).toISOString(),
    bodySha256: p.body === undefined ? undefined : sha256Hex(p.body),
  };
}

/** The approval's `proposed_value`: the summary as canonical JSON (the same request, the same text). */
export function actionDigest(r: ActionRequest): string {
  return canonicalJson(summarizeAction(r));
}

/** One line for people: `send_email to ada@example.com (template intro-v1): "Hello"`. */
export function describeAction(r: ActionRequest, sensitive = false): string {
  if (r.action === "update_field")
    return `update_field ${r.object}.${r.field} on ${r.objectId} → ${sensitive ? "(sensitive value)" : JSON.stringify(r.value ?? null)}`;
  const p = r.payload ?? {};
  const parts: string[] = [r.action];
  if (p.to) parts.push(`to ${p.to}`);
  if (p.sequenceId) parts.push(`sequence ${p.sequenceId}`);
  if (p.meetingAt) parts.push(`at ${p.meetingAt}`);
  if (p.template) parts.push(`(template ${p.template})`);
  if (!p.to && r.objectId) parts.push(`on ${r.object} ${r.objectId}`);
  const line = parts.join(" ");
  return p.subject ? `${line}: ${JSON.stringify(p.subject)}` : line;
}

/** SHA-256 of the request as sent, minus the idempotency key: the same key must come with the same request. */
export function requestHash(r: ActionRequest): string {
  const { idempotencyKey: _key, ...rest } = r;
  return sha256Hex(canonicalJson(rest));
}

/**
 * The message as a person approves it (recipient, subject, body…), kept with the approval so the
 * card can show it: every text with the credentials quoted in it redacted, as the audit does.
 */
export function approvalPayload(r: ActionRequest): Record<string, unknown> | null {
  if (!r.payload) return null;
  return Object.fromEntries(
    Object.entries(r.payload).map(([k, v]) => [k, typeof v === "string" ? redactInline(v) : v]),
  );
}
