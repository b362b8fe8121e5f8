import type { ActionRequest } from "../../../shared/index.js";
import {
  attributesFromRecordFacts,
  mergeFactAttributes,
  needsRecordFacts,
  recordFactProperties,
  type CompiledPolicy,
  type DecisionInput,
} from "../policy/index.js";
import { readRecordFacts, targetKey } from "../record-facts/index.js";
import type { Sql } from "../db/index.js";
import { loadSql } from "./load-sql.js";
import type { ActionGateOptions } from "./types.js";
import type { SendDedupe } from "./send-dedupe.js";
import { sendingDomainOf } from "./to-decision-input.js";

/** What the gate reads before deciding, beyond the policy, the counters and the switches. */
export interface ActionFacts {
  /** `update_field`: the field's value now (`undefined` when it could not be read). */
  before?: string | null | undefined;
  beforeError?: string | undefined;
  /** `send_email`: the contact's opt-out flag in the CRM (`"unknown"`: the read failed). */
  optedOut?: boolean | "unknown" | undefined;
  /** `send_email`: the event that permitted an identical send inside the dedupe window. */
  duplicateOf?: string | undefined;
  /** `send_email`: whether a person approved an earlier send from this sending domain (onboarded). */
  domainOnboarded?: boolean | undefined;
  /** `send_email`: the approval a person gave an earlier send of this template family. */
  templateApproval?: { id: string; approvers: string[]; expiresAt: string } | undefined;
}

const OPT_OUT = "hs_email_optout";

/**
 * Reads the facts one request needs, at most one CRM call: the value an update would replace
 * (its `before`, and what an approver is shown), or a HubSpot contact's opt-out flag before a
 * send, plus the send-dedupe memory. A failed opt-out read is `"unknown"`, which refuses the send
 * (fail closed); a failed `before` read only leaves the before-value unknown.
 */
export async function gatherFacts(
  deps: Pick<ActionGateOptions, "readRecords" | "isSuppressed" | "db">,
  dedupe: SendDedupe,
  tenantId: string,
  r: ActionRequest,
  objectType: string | undefined,
): Promise<ActionFacts> {
  const read = deps.readRecords;
  if (r.action === "update_field") {
    if (!read || !objectType || !r.objectId) return {};
    try {
      const [record] = await read(tenantId, r.crm, objectType, [r.objectId], [r.field!]);
      return { before: record?.properties[r.field!] ?? null };
    } catch (err) {
      return { beforeError: (err as Error).message };
    }
  }
  if (r.action !== "send_email" || !r.payload) return {};
  const domain = sendingDomainOf(r);
  const facts: ActionFacts = {
    duplicateOf: await dedupe.find(tenantId, r.payload),
    domainOnboarded: domain
      ? (await deps.db.query(loadSql("select-domain-approval"), [tenantId, domain])).rows.length > 0
      : undefined,
    templateApproval: r.payload.template
      ? await findTemplateApproval(deps.db, tenantId, r.payload.template)
      : undefined,
  };
  // An unsubscribe or complaint the sending system reported is an opt-out, whatever the CRM says.
  if (r.payload.to && deps.isSuppressed && (await deps.isSuppressed(tenantId, r.payload.to))) {
    facts.optedOut = true;
    return facts;
  }
  // The caller's own flag settles it; otherwise ask the CRM when the recipient is a HubSpot contact.
  if (
    r.payload.optedOut !== true &&
    read &&
    r.crm === "hubspot" &&
    r.object === "contact" &&
    objectType &&
    r.objectId
  ) {
    try {
      const [record] = await read(tenantId, r.crm, objectType, [r.objectId], [OPT_OUT]);
      facts.optedOut = record ? record.properties[OPT_OUT] === "true" : false;
    } catch {
      facts.optedOut = "unknown";
    }
  }
  return facts;
}

/**
 * Whether the CRM marks the field an `update_field` writes sensitive (HubSpot Sensitive Data).
 * Asked whatever the decision, since a refusal's event names the value too; when the CRM cannot
 * say, the value is treated as sensitive (hashed, never stored).
 */
export async function isSensitiveWrite(
  deps: Pick<ActionGateOptions, "isSensitive">,
  tenantId: string,
  r: ActionRequest,
  objectType: string | undefined,
): Promise<boolean> {
  if (r.action !== "update_field" || !deps.isSensitive || !objectType) return false;
  return deps.isSensitive(tenantId, r.crm, objectType, r.field!).catch(() => true);
}

/**
 * The gate's half of "exceptions from CRM data" (docs/policy.md): when the rule names a
 * record-fact exception, what the CRM says about the target and its company answers it. The
 * agent's flags only ever add care (a `true` stands); a `false` the CRM contradicts does not.
 * No record, or no CRM to ask, leaves the facts unknown — a human decides unless the policy says
 * `when_missing: allow`.
 */
export async function withRecordFactsOf(
  deps: Pick<ActionGateOptions, "readRecords">,
  policy: CompiledPolicy,
  tenantId: string,
  r: ActionRequest,
  objectType: string | undefined,
  input: DecisionInput,
): Promise<DecisionInput> {
  if (!needsRecordFacts(policy, input)) return input;
  const read = deps.readRecords;
  const target =
    objectType && r.objectId ? { crm: r.crm, object: r.object, objectType, objectId: r.objectId } : undefined;
  const facts =
    read && target
      ? (
          await readRecordFacts(
            recordFactProperties(policy, r.crm),
            (type, ids, props) => read(tenantId, r.crm, type, ids, props),
            [target],
          )
        ).get(targetKey(target))
      : undefined;
  const writing = r.action === "update_field" ? { field: r.field!, value: r.value ?? null } : undefined;
  const fromCrm = attributesFromRecordFacts(policy, {
    ...(facts ?? { crm: r.crm, person: null, company: null }),
    writing,
  });
  return { ...input, attributes: mergeFactAttributes(input.attributes, fromCrm) };
}

/** The approval of an earlier send of this template family (R12 drill 2), most recent first. */
async function findTemplateApproval(db: Sql, tenantId: string, template: string) {
  const { rows } = await db.query<{
    id: string;
    approved_by: { id: string; name?: string }[];
    expires_at: string | Date;
  }>(loadSql("select-template-approval"), [tenantId, template]);
  const row = rows[0];
  return row
    ? {
        id: row.id,
        approvers: row.approved_by.map((b) => b.name ?? b.id),
        expiresAt: new Date(row.expires_at).toISOString(),
      }
    : undefined;
}
