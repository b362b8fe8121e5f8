import { pino } from "pino";
import type { ActionResponse } from "../../../shared/index.js";
import { ForbiddenError } from "../errors/index.js";
import type { ApprovalCheck } from "./check-approval.js";
import { decideAction } from "./decide-action.js";
import { evaluateAction, type ActionContext, type GateParts } from "./evaluate-action.js";
import { createIdempotencyStore } from "./idempotency-store.js";
import { parseActionRequest } from "./parse-action-request.js";
import { ApprovalTakenError } from "./record-decision.js";
import { afterAction, recordAction } from "./record-action.js";
import { reserveAction } from "./reserve-action.js";
import { createSendDedupe } from "./send-dedupe.js";
import { requestHash } from "./summarize-action.js";
import { approvalIdOf, toResponse } from "./to-action-response.js";
import type { ActionCaller, ActionGate, ActionGateOptions, ActionHandleOptions } from "./types.js";

/** One request, start to answer: evaluate, reserve, record (once more if its approval was taken meanwhile), after. */
async function runAction(
  g: GateParts,
  request: Pick<ActionContext, "tenantId" | "caller" | "agentId" | "r" | "key">,
  asked: ActionHandleOptions,
): Promise<ActionResponse> {
  const { ctx: c, verdict: decided } = await evaluateAction(g, request, asked);
  const { r, tenantId } = c;
  if (r.dryRun)
    return toResponse(r, decided, { eventId: null, approvalId: approvalIdOf(decided, c.approval), dryRun: true });
  const reservation = await reserveAction(g, c, decided);
  const { ref } = reservation;
  let { verdict, heldSend } = reservation;
  let response: ActionResponse;
  try {
    response = await recordAction(g, c, verdict);
  } catch (err) {
    if (heldSend) await g.dedupe.release(tenantId, r.payload!, ref).catch(() => undefined);
    heldSend = false;
    if (!(err instanceof ApprovalTakenError)) throw err;
    // Another request carried out this approval first: this one is refused, and says so.
    const taken: ApprovalCheck = {
      state: "unusable",
      id: verdict.used!.id,
      flag: "approval_not_usable",
      reason: `approval ${verdict.used!.id} was already used`,
    };
    verdict = decideAction(c.policy, c.input, c.counters, c.switches, { approval: taken, compliance: [] });
    response = await recordAction(g, c, verdict);
  }
  if (heldSend && response.eventId)
    await g.dedupe.settle(tenantId, r.payload!, response.eventId).catch(() => undefined);
  await afterAction(g, c, verdict, response);
  return response;
}

/**
 * The pre-write gate (docs/architecture.md#the-flow "two entry paths, one decision function",
 * docs/contracts.md#http-api `POST /v1/actions`).
 *
 * Sends, enrollments, meetings and tasks are NOT performed by Tollgate: it has no email,
 * sequence or calendar provider. An allowed one is answered `executed: false` with a `permit`
 * (valid 5 minutes) whose `eventId` is the audit event recording the intent and decision — the
 * approval trace the agent cites when it performs the action with its own tool. An allowed
 * `update_field` is executed: queued as a CRM write in the decision's own transaction.
 *
 * @example
 * const gate = createActionGate({ db, audit, policies, counters, killSwitches, guard, writes, approvals, redis });
 * const { response } = await gate.handle(tenantId, principal, {
 *   action: "send_email", crm: "hubspot", object: "contact", objectId: "101",
 *   payload: { to: "ada@example.com", template: "intro-v1", body: "… unsubscribe …" },
 *   idempotencyKey: "run-7:step-3",
 * });
 * // response.permit → { eventId, expiresAt, token } when allowed; response.approvalId when a person must approve
 */
export function createActionGate(options: ActionGateOptions): ActionGate {
  const g: GateParts = {
    options,
    now: options.now ?? (() => new Date()),
    logger: options.logger ?? pino({ level: "silent" }),
    permitTtlMs: options.permitTtlMs ?? 120_000,
    executable: new Set<string>(options.executableCrms ?? ["hubspot"]),
    idempotency: createIdempotencyStore(options.db),
    dedupe: createSendDedupe({
      redis: options.redis,
      prefix: options.prefix ?? "tollgate",
      windowMs: options.dedupeWindowMs ?? 86_400_000,
    }),
  };
  return {
    async handle(tenantId, caller: ActionCaller, raw, asked = {}) {
      if (caller.role !== "agent" || !caller.agentId)
        throw new ForbiddenError("only an agent's API key may ask the action gate", { allowedRoles: ["agent"] });
      const r = parseActionRequest(raw);
      const agentId = caller.agentId;
      // Dry runs change nothing, so they claim no key either.
      const key =
        r.idempotencyKey && !r.dryRun
          ? { tenantId, agentId, key: r.idempotencyKey, approvalId: r.approvalId }
          : undefined;
      if (key) {
        const claim = await g.idempotency.claim(key, requestHash(r), g.now());
        if (claim.kind === "replay") return { response: claim.response, replayed: true };
      }
      try {
        return { response: await runAction(g, { tenantId, caller, agentId, r, key }, asked), replayed: false };
      } catch (err) {
        if (key) await g.idempotency.release(key).catch(() => undefined);
        throw err;
      }
    },
  };
}
