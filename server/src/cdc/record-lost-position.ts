import type { AuditLog } from "../audit/index.js";
import type { Alert } from "../killswitch/index.js";
import type { LostPosition } from "./create-cdc-ingestor.js";

/**
 * What a lost CDC position leaves behind (docs/salesforce.md, how changes arrive): an audit event
 * `cdc_position_lost` in the org's chain (who: Tollgate; what: the replay id refused, and from
 * when the gap is read back) and a `crm.stream_position_lost` alert — so a Tollgate stopped past
 * retention is never silent about the events it could not replay.
 */
export function recordLostPosition(deps: {
  audit: Pick<AuditLog, "append">;
  alert: (alert: Alert) => Promise<void>;
  now: () => Date;
}): (lost: LostPosition) => Promise<void> {
  return async (lost) => {
    const at = deps.now().toISOString();
    const reason =
      `replay id ${lost.replayId} on ${lost.channel} is outside Salesforce's retention: ` +
      `changes since ${lost.since.toISOString()} are read back (SOQL, field history) and enforced`;
    await deps.audit.append({
      tenant_id: lost.tenantId,
      occurred_at: at,
      actor: { type: "system", id: "tollgate", role: null, via: "salesforce_cdc" },
      action: "cdc_position_lost",
      crm: "salesforce",
      diff_summary: reason,
      reason: lost.message,
      evidence: { channel: lost.channel, replayId: lost.replayId, since: lost.since.toISOString() },
      connector: "salesforce",
    });
    void deps.alert({
      type: "crm.stream_position_lost",
      tenantId: lost.tenantId,
      crm: "salesforce",
      channel: lost.channel,
      replayId: lost.replayId,
      since: lost.since.toISOString(),
      reason,
      at,
    });
  };
}
