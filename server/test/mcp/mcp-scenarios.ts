import { expect } from "vitest";
import type { AuditEvent } from "../../../shared/index.js";
import type { Harness } from "../helpers/start-tollgate-with-sandbox.js";
import { eventually } from "../killswitch/helpers.js";
import { KEYS, setSwitch, type AgentClient } from "./mcp-harness.js";

/**
 * The MCP end-to-end scenarios, written once and run over every transport and CRM: each takes a
 * target (a running Tollgate, the tenant, and how to open a session for a key over the transport
 * under test — the MCP SDK's own client either way) and the CRM-specific data.
 */
export interface McpTarget {
  h: Harness;
  tenantId: string;
  crm: "hubspot" | "salesforce";
  /** Opens a NEW session for this API key over the transport under test. */
  connect(key: string): Promise<AgentClient>;
}

type Args = Record<string, unknown>;

async function auditEvent(t: McpTarget, eventId: string): Promise<AuditEvent> {
  const event = await t.h.tollgate.services.audit.get(t.tenantId, eventId);
  if (!event) throw new Error(`no audit event ${eventId}`);
  return event;
}

/** The agent sees exactly these tools. */
export async function seesOnly(agent: AgentClient, tools: string[]): Promise<void> {
  expect(await agent.toolNames()).toEqual([...tools].sort());
}

/** A write the policy denies is a tool result with the decision's reasons, audited with via mcp and the tool. */
export async function deniedWriteIsRefused(
  t: McpTarget,
  agent: AgentClient,
  tool: "crm_update_field" | "crm_propose_change",
  args: Args,
  reason: RegExp,
): Promise<AuditEvent> {
  const r = await agent.call(tool, { crm: t.crm, ...args });
  expect(r.isError).toBe(true);
  expect(r.body.decision.outcome).toBe("deny");
  expect(r.body.decision.reasons.join(" ")).toMatch(reason);
  expect(r.body.status).toMatch(/^refused \(deny\)/);
  const event = await auditEvent(t, r.body.eventId);
  expect(event.actor.via).toBe("mcp");
  expect(event.tool_name).toBe(tool);
  expect(event.decision?.outcome).toBe("deny");
  expect(event.action).toBe(tool === "crm_propose_change" ? "proposal" : "update_field");
  return event;
}

/** A proposal lands as a pending approval in the card API (`GET …/approvals`), and the audit ties them. */
export async function proposalLandsAsApproval(
  t: McpTarget,
  agent: AgentClient,
  args: Args & { objectType: string; objectId: string; value: string },
  cardObjectType: string,
): Promise<{ approvalId: string; eventId: string }> {
  const r = await agent.call("crm_propose_change", { crm: t.crm, ...args });
  expect(r.isError).toBeFalsy();
  expect(r.body.decision.outcome).toBe("needs_approval");
  const res = await fetch(`${t.h.baseUrl}/v1/records/${t.crm}/${cardObjectType}/${args.objectId}/approvals`, {
    headers: { authorization: `Bearer ${KEYS.approver}` },
  });
  expect(res.status).toBe(200);
  const { approvals } = (await res.json()) as { approvals: { id: string; status: string; proposedValue: string }[] };
  expect(approvals.find((a) => a.id === r.body.approvalId)).toMatchObject({
    status: "pending",
    proposedValue: args.value,
  });
  const event = await auditEvent(t, r.body.eventId);
  expect(event.action).toBe("proposal");
  expect(event.tool_name).toBe("crm_propose_change");
  expect(event.approval?.id).toBe(r.body.approvalId);
  return { approvalId: r.body.approvalId, eventId: r.body.eventId };
}

/**
 * A kill switch over the agent closes its session (its next call fails; nothing is decided for
 * it), a new session is read-only — a write is refused `killed` and audited, a read answers —
 * and lifting the switch gives the write tools back. Returns the new session.
 */
export async function killSwitchStopsAgent(
  t: McpTarget,
  agent: AgentClient,
  agentId: string,
  key: string,
  write: Args,
  read: Args,
): Promise<AgentClient> {
  await setSwitch(t.h, agentId, "on");
  let fresh: AgentClient | undefined;
  try {
    // The old session is closed: its next call fails (HTTP 404 / stdio closed), never decided.
    await eventually(async () => {
      try {
        const r = await agent.call("crm_update_field", { crm: t.crm, ...write });
        expect(r.body.decision.outcome).toBe("killed");
        return false;
      } catch {
        return true;
      }
    }, 15_000);
    fresh = await t.connect(key);
    expect(await fresh.toolNames()).not.toContain("crm_update_field");
    const r = await fresh.call("crm_update_field", { crm: t.crm, ...write });
    expect(r.isError).toBe(true);
    expect(r.body.decision.outcome).toBe("killed");
    expect(r.body.decision.reasons.join(" ")).toContain(`agent:${agentId}`);
    expect((await auditEvent(t, r.body.eventId)).decision?.outcome).toBe("killed");
    // Read-only, not cut off: reads still answer.
    expect((await fresh.call("crm_get_record", { crm: t.crm, ...read })).isError).toBeFalsy();
  } finally {
    const relisted = fresh?.nextListChange(15_000);
    await setSwitch(t.h, agentId, "off");
    await relisted;
  }
  expect(await fresh.toolNames()).toContain("crm_update_field");
  return fresh;
}

/** Another tenant's key reaches none of this tenant's records or decisions. */
export async function otherTenantSeesNothing(
  t: McpTarget,
  read: Args,
  secret: string,
  mine: { approvalId: string; eventId: string },
): Promise<void> {
  const other = await t.connect(KEYS.otherTenant);
  try {
    const r = await other.call("crm_get_record", { crm: t.crm, ...read });
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r.body)).not.toContain(secret);
    expect((await other.call("get_decision", { approvalId: mine.approvalId })).body.error.code).toBe("not_found");
    expect((await other.call("get_decision", { eventId: mine.eventId })).body.error.code).toBe("not_found");
  } finally {
    await other.close();
  }
}
