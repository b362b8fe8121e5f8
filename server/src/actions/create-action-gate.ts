import { randomUUID } from "node:crypto";
import { pino } from "pino";
import {
  actionRequestSchema,
  type ActionRequest,
  type ActionResponse,
  toCrmObjectType,
  toPolicyObject,
} from "../../../shared/index.js";
import { createPolicyPort, proposalRiskFlags } from "../enforce/index.js";
import { ForbiddenError, ValidationError } from "../errors/index.js";
import { decide, getCounterKeys, type CompiledPolicy, type KillSwitchState } from "../policy/index.js";
import { CrmNotConnectedError, CrmUnavailableError } from "./action-errors.js";
import { buildActionEvent } from "./build-action-event.js";
import { checkApproval, type ApprovalCheck } from "./check-approval.js";
import { checkSendCompliance } from "./check-send-compliance.js";
import { decideAction, parksForApproval, type ActionVerdict } from "./decide-action.js";
import { gatherFacts, withRecordFactsOf, type ActionFacts } from "./gather-facts.js";
import { createIdempotencyStore, type IdempotencyKey } from "./idempotency-store.js";
import { loadSql } from "./load-sql.js";
import { issuePermit } from "./issue-permit.js";
import { planFieldWrite } from "./plan-field-write.js";
import { ApprovalTakenError, recordDecision, type ActionApprovalRow } from "./record-decision.js";
import { createSendDedupe } from "./send-dedupe.js";
import { actionDigest, approvalPayload, describeAction, requestHash, summarizeAction } from "./summarize-action.js";
import { toDecisionInput } from "./to-decision-input.js";
import type { ActionCaller, ActionGate, ActionGateOptions, ActionHandleOptions } from "./types.js";

function parseRequest(raw: unknown): ActionRequest {
  const parsed = actionRequestSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = issues[0]!;
  throw new ValidationError(`invalid action: ${first.path ? `${first.path}: ` : ""}${first.message}`, { issues });
}

/** The CRM's name for the object; a given `objectType` must be that object's. */
function resolveObjectType(r: ActionRequest): string | undefined {
  const mapped = toCrmObjectType(r.crm, r.object);
  if (r.objectType !== undefined && toPolicyObject(r.crm, r.objectType) !== r.object) {
    const message = `${r.objectType} is not the ${r.crm} name of ${r.object}`;
    throw new ValidationError(`invalid action: objectType: ${message}`, { issues: [{ path: "objectType", message }] });
  }
  const objectType = mapped ?? r.objectType;
  if (r.action === "update_field" && objectType === undefined) {
    const message = `${r.crm} has no ${r.object} object to write to`;
    throw new ValidationError(`invalid action: object: ${message}`, { issues: [{ path: "object", message }] });
  }
  return objectType;
}

/**
 * The pre-write gate (docs/architecture.md#the-flow "two entry paths, one decision function", docs/contracts.md#http-api `POST /v1/actions`).
 *
 * Sends, enrollments, meetings and tasks are NOT performed by Tollgate: it has no email,
 * sequence or calendar provider. An allowed one is answered `executed: false` with a `permit`
 * (valid 5 minutes) whose `eventId` is the audit event recording the intent and decision — the
 * approval trace the agent cites when it performs the action with its own tool. An allowed
 * `update_field` is executed: queued as a CRM write in the decision's own transaction.
 *
 * @example
 * const gate = createActionGate({ db, audit, policies, counters, killSwitches, guard, writes, approvals, exceptions, redis });
 * const { response } = await gate.handle(tenantId, principal, { action: "send_email", crm: "hubspot", object: "contact", objectId: "101",
 *   payload: { to: "ada@example.com", template: "intro-v1", body: "… unsubscribe …" }, idempotencyKey: "run-7:step-3" });
 * // response.permit → { eventId, expiresAt, token } when allowed; response.approvalId when a person must approve
 */
export function createActionGate(options: ActionGateOptions): ActionGate {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? pino({ level: "silent" });
  const permitTtlMs = options.permitTtlMs ?? 120_000;
  const executable = new Set<string>(options.executableCrms ?? ["hubspot"]);
  const idempotency = createIdempotencyStore(options.db);
  const dedupe = createSendDedupe({
    redis: options.redis,
    prefix: options.prefix ?? "tollgate",
    windowMs: options.dedupeWindowMs ?? 86_400_000,
  });

  /** Switches in force, after counting this request toward the write-rate trigger (which may trip on it). */
  async function switchesFor(
    tenantId: string,
    policy: CompiledPolicy,
    agentId: string,
    role: string | null,
    r: ActionRequest,
    at: Date,
  ): Promise<KillSwitchState> {
    if (!options.guard || r.dryRun) return options.killSwitches.active(tenantId);
    // Counting needs no cap keys from the port: the gate reads its own counters below.
    const port = { ...createPolicyPort(policy), counterKeys: undefined };
    const input = {
      agentId,
      object: r.object,
      field: r.field ?? r.action,
      viaShadow: false,
      value: r.value ?? null,
      recordId: r.objectId ?? "",
      at,
    };
    const prepared = await options.guard.prepare(tenantId, port, [{ position: 0, agentId, role: role ?? "", input }]);
    return prepared.stateAt(0).switches;
  }

  async function run(
    tenantId: string,
    caller: ActionCaller,
    agentId: string,
    r: ActionRequest,
    key: IdempotencyKey | undefined,
    asked: ActionHandleOptions,
  ): Promise<ActionResponse> {
    const at = now();
    const proposal = asked.proposal === true && r.action === "update_field";
    const policy = options.policies.current(tenantId).compiled;
    const role = policy.agents.get(agentId)?.role ?? null;
    const objectType = resolveObjectType(r);
    if (r.action === "update_field" && !executable.has(r.crm)) throw new CrmNotConnectedError(r.crm);
    let input = await withRecordFactsOf(options, policy, tenantId, r, objectType, toDecisionInput(agentId, r, at));
    const safeModeUntil = await options.safeModeUntil?.(tenantId, agentId);
    if (safeModeUntil) input = { ...input, safeModeUntil };
    // Approvals need a record to hang on; a send to someone not in the CRM hangs on the address.
    const target = { objectType: objectType ?? r.object, objectId: r.objectId ?? r.payload?.to ?? "none" };
    const digest = actionDigest(r);

    const switches = await switchesFor(tenantId, policy, agentId, role, r, at);
    const keys = getCounterKeys(policy, input);
    const window = { timeZone: policy.timezone, at };
    const counters = await options.counters.snapshot(tenantId, keys, window);
    const approval = r.approvalId
      ? checkApproval(
          r.approvalId,
          await options.approvals.get(tenantId, r.approvalId),
          { agentId, action: r.action, ...target, digest },
          at,
        )
      : undefined;
    // Facts cost a CRM read: only for actions the policy leaves a chance.
    const first = decide(policy, input, counters, switches);
    const facts: ActionFacts =
      first.outcome === "deny" || first.outcome === "killed"
        ? {}
        : await gatherFacts(options, dedupe, tenantId, r, objectType);
    // A template family a person approved once is approved for its later sends, which carry that approval.
    const family = !r.approvalId ? facts.templateApproval : undefined;
    if (family) input = { ...input, attributes: { ...input.attributes, templateApproved: true } };
    const compliance = r.action === "send_email" && r.payload ? checkSendCompliance(r.payload, facts) : [];
    let verdict = decideAction(policy, input, counters, switches, { approval, compliance });
    if (r.dryRun)
      return toResponse(r, verdict, { eventId: null, approvalId: approvalIdOf(verdict, approval), dryRun: true });

    // Reservations for an allowed action, each undone if a later one fails: the send's dedupe
    // slot, then the caps — atomically, so N parallel requests never exceed a cap (a lost race is over_cap).
    const ref = `pending:${randomUUID()}`;
    let heldSend = false;
    if (verdict.decision.outcome === "allow" && r.action === "send_email") {
      heldSend = await dedupe.claim(tenantId, r.payload!, ref);
      if (!heldSend) {
        const duplicateOf = (await dedupe.find(tenantId, r.payload!)) ?? "a concurrent request";
        verdict = decideAction(policy, input, counters, switches, {
          approval,
          compliance: checkSendCompliance(r.payload!, { ...facts, duplicateOf }),
        });
      }
    }
    if (verdict.decision.outcome === "allow" && keys.length > 0) {
      // An approved exception to a held cap still counts the action, past the limit.
      const limited = verdict.capWaived ? keys.map((k) => ({ ...k, limit: Number.MAX_SAFE_INTEGER })) : keys;
      const consumed = await options.counters.consume(tenantId, limited, window);
      if (!consumed.ok) {
        verdict = decideAction(policy, input, { ...counters, ...consumed.counters }, switches, {
          approval,
          compliance,
        });
        if (heldSend) await dedupe.release(tenantId, r.payload!, ref);
        heldSend = false;
      }
    }

    const record = async (v: ActionVerdict): Promise<ActionResponse> => {
      const d = v.decision;
      let linked = v.used;
      let newApproval: ActionApprovalRow | undefined;
      if (!linked && family && d.outcome === "allow") linked = family;
      if (!linked && approval?.state === "pending" && parksForApproval(d)) {
        linked = {
          id: approval.approval.id,
          approvers: approval.approval.approvedBy.map((b) => b.name ?? b.id),
          expiresAt: approval.approval.expiresAt,
        };
      } else if (!linked && parksForApproval(d)) {
        const existing =
          r.action === "update_field" ? undefined : await findPending(tenantId, target, r.action, agentId, digest, at);
        if (existing) linked = { ...existing, approvers: [] };
        else {
          if (r.action === "update_field" && facts.before === undefined && options.readRecords) {
            throw new CrmUnavailableError(
              `could not read ${r.field} on ${target.objectType}/${target.objectId} to show an approver: ${facts.beforeError ?? "no value"}`,
            );
          }
          newApproval = approvalRow(
            tenantId,
            agentId,
            role,
            r,
            v,
            target,
            digest,
            facts,
            new Date(at.getTime() + policy.approvalsExpireAfterMs),
            proposal,
          );
          linked = { id: newApproval.id, approvers: [], expiresAt: newApproval.expiresAt };
        }
      }
      const executes = d.outcome === "allow" && r.action === "update_field";
      const permitExpiresAt =
        d.outcome === "allow" && !executes ? new Date(at.getTime() + permitTtlMs).toISOString() : undefined;
      const permit = permitExpiresAt
        ? issuePermit({ tenantId, agentId, r, objectType, input, role, at, expiresAt: permitExpiresAt })
        : undefined;
      const event = buildActionEvent(r, v, {
        tenantId,
        agentId,
        role,
        via: caller.auditVia ?? `${caller.via}:${caller.name}`,
        objectType: objectType ?? null,
        objectId: r.objectId ?? null,
        before: facts.before,
        approval: linked,
        permitExpiresAt,
        at,
      });
      // A proposal is audited as the backstop audits a shadow-field write (enforce/ plan-proposal).
      if (proposal) event.action = "proposal";
      const refused =
        d.outcome === "deny" || d.outcome === "killed" || (d.outcome === "over_cap" && d.overCap !== "hold");
      return recordDecision(
        options,
        idempotency,
        {
          event,
          useApprovalId: v.used?.id,
          newApproval,
          write: executes ? (eventId) => planFieldWrite(tenantId, agentId, r, objectType!, eventId, at) : undefined,
          exception: refused
            ? (eventId) => ({
                tenantId,
                kind: d.outcome === "killed" ? "action_killed" : proposal ? "proposal_refused" : "action_denied",
                ruleId: d.ruleId,
                agentId,
                crm: r.crm,
                objectType: objectType ?? null,
                objectId: r.objectId ?? null,
                field: r.field ?? r.action,
                eventId,
                summary: `${agentId} asked to ${describeAction(r)}: ${d.outcome} (${d.reasons.join("; ")})`,
              })
            : undefined,
          idempotency: key,
          permit: permit?.row,
          respond: (eventId, writeId) =>
            toResponse(r, v, {
              eventId,
              approvalId: linked?.id,
              writeId,
              permit: permit?.wire(eventId, options.permitSecret),
            }),
        },
        at,
      );
    };

    let response: ActionResponse;
    try {
      response = await record(verdict);
    } catch (err) {
      if (heldSend) await dedupe.release(tenantId, r.payload!, ref).catch(() => undefined);
      heldSend = false;
      if (!(err instanceof ApprovalTakenError)) throw err;
      // Another request carried out this approval first: this one is refused, and says so.
      const taken: ApprovalCheck = {
        state: "unusable",
        id: verdict.used!.id,
        flag: "approval_not_usable",
        reason: `approval ${verdict.used!.id} was already used`,
      };
      verdict = decideAction(policy, input, counters, switches, { approval: taken, compliance: [] });
      response = await record(verdict);
    }
    if (heldSend && response.eventId)
      await dedupe.settle(tenantId, r.payload!, response.eventId).catch(() => undefined);
    await after(tenantId, agentId, role, r, verdict, response);
    return response;
  }

  async function findPending(
    tenantId: string,
    target: { objectType: string; objectId: string },
    action: string,
    agentId: string,
    digest: string,
    at: Date,
  ) {
    const { rows } = await options.db.query<{ id: string; expires_at: string | Date }>(
      loadSql("select-pending-approval"),
      [tenantId, target.objectType, target.objectId, action, agentId, digest, at.toISOString()],
    );
    return rows[0] ? { id: rows[0].id, expiresAt: new Date(rows[0].expires_at).toISOString() } : undefined;
  }

  /** After commit: send the write, schedule the approval's expiry, feed the triggers. None of it may fail the answer. */
  async function after(
    tenantId: string,
    agentId: string,
    role: string | null,
    r: ActionRequest,
    v: ActionVerdict,
    response: ActionResponse,
  ) {
    const d = v.decision;
    if (response.writeId)
      await options.writes
        .kick([tenantId])
        .catch((err) =>
          logger.warn({ err: (err as Error).message, tenantId }, "write queue kick failed; the next kick sends it"),
        );
    if (response.approvalId && parksForApproval(d) && options.scheduleApprovals) {
      await options
        .scheduleApprovals(tenantId, [response.approvalId])
        .catch((err) =>
          logger.warn(
            { err: (err as Error).message, tenantId },
            "approval expiry not scheduled; the queue's rebuild schedules it",
          ),
        );
    }
    // Asking first is the opposite of a bypass: counted like a proposal (viaShadow), so a refusal
    // counts toward denials_per_minute and a killed request toward what its switch prevented.
    await options.guard?.settled(tenantId, [
      { agentId, role: role ?? "", viaShadow: true, decision: d, refused: false },
    ]);
    const log = {
      tenantId,
      agentId,
      action: r.action,
      outcome: d.outcome,
      ruleId: d.ruleId,
      eventId: response.eventId,
    };
    if (d.outcome === "deny" || d.outcome === "killed") logger.warn(log, "agent action refused");
    else logger.info(log, "agent action decided");
  }

  return {
    async handle(tenantId, caller, raw, asked = {}) {
      if (caller.role !== "agent" || !caller.agentId)
        throw new ForbiddenError("only an agent's API key may ask the action gate", { allowedRoles: ["agent"] });
      const r = parseRequest(raw);
      const agentId = caller.agentId;
      // Dry runs change nothing, so they claim no key either.
      const key =
        r.idempotencyKey && !r.dryRun
          ? { tenantId, agentId, key: r.idempotencyKey, approvalId: r.approvalId }
          : undefined;
      if (key) {
        const claim = await idempotency.claim(key, requestHash(r), now());
        if (claim.kind === "replay") return { response: claim.response, replayed: true };
      }
      try {
        return { response: await run(tenantId, caller, agentId, r, key, asked), replayed: false };
      } catch (err) {
        if (key) await idempotency.release(key).catch(() => undefined);
        throw err;
      }
    },
  };
}

function approvalIdOf(v: ActionVerdict, approval: ApprovalCheck | undefined): string | undefined {
  return v.used?.id ?? (approval?.state === "pending" ? approval.approval.id : undefined);
}

function approvalRow(
  tenantId: string,
  agentId: string,
  role: string | null,
  r: ActionRequest,
  v: ActionVerdict,
  target: { objectType: string; objectId: string },
  digest: string,
  facts: ActionFacts,
  expiresAt: Date,
  proposal: boolean,
): ActionApprovalRow {
  const d = v.decision;
  const field = r.action === "update_field";
  const provenance = {
    confidence: r.confidence ?? null,
    source: r.source ?? null,
    reason: r.reason ?? null,
    evidence: r.evidence ?? null,
  };
  const proposalFlags = proposal ? proposalRiskFlags(provenance, facts.before ?? null) : [];
  return {
    id: randomUUID(),
    tenantId,
    crm: r.crm,
    ...target,
    field: field ? r.field! : r.action,
    action: field ? "field_write" : r.action,
    currentValue: field ? (facts.before ?? null) : null,
    proposedValue: field ? (r.value ?? null) : digest,
    confidence: r.confidence ?? null,
    source: r.source ?? null,
    reason: r.reason ?? null,
    evidence: {
      agent: r.evidence ?? null,
      request: summarizeAction(r),
      payload: approvalPayload(r),
      reasons: d.reasons,
    },
    // Why a person is asked: the policy's tier, or an exception to a window or a held cap.
    riskFlags: [...v.riskFlags, ...proposalFlags, ...(d.outcome === "needs_approval" ? [] : [d.outcome])],
    approvalsNeeded: Math.max(1, d.approvers ?? 1),
    agentId,
    agentRole: role,
    ruleId: d.ruleId,
    policyVersion: d.policyVersion,
    runId: r.runId ?? null,
    expiresAt: expiresAt.toISOString(),
  };
}

function toResponse(
  r: ActionRequest,
  v: ActionVerdict,
  o: {
    eventId: string | null;
    approvalId?: string | undefined;
    writeId?: string | undefined;
    permit?: ActionResponse["permit"];
    dryRun?: boolean;
  },
): ActionResponse {
  const d = v.decision;
  return {
    decision: {
      outcome: d.outcome,
      tier: d.tier,
      ruleId: d.ruleId,
      policyVersion: d.policyVersion,
      reasons: d.reasons,
      ...(d.approvers === undefined ? {} : { approvers: d.approvers }),
    },
    executed: d.outcome === "allow" && r.action === "update_field" && o.writeId !== undefined,
    eventId: o.eventId,
    ...(o.approvalId ? { approvalId: o.approvalId } : {}),
    ...(o.writeId ? { writeId: o.writeId } : {}),
    ...(o.permit ? { permit: o.permit } : {}),
    riskFlags: v.riskFlags,
    ...(o.dryRun ? { dryRun: true } : {}),
  };
}
