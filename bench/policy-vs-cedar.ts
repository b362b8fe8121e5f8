/**
 * Decisions per second: Tollgate's compiled policy (`decide`) vs Cedar (`@cedar-policy/cedar-wasm`)
 * evaluating the same seed matrix (manifests/policy.yaml vs bench/cedar/seed-matrix.cedar), in the
 * same process, over the same mixed set of realistic decision inputs.
 *
 * Cedar is given every advantage: its requests are built before timing starts, windows and caps
 * are not modelled on its side (Tollgate still evaluates them), and it is measured both with the
 * policy set parsed per call (`isAuthorized`) and pre-parsed (`statefulIsAuthorized`). Before
 * timing, both engines must agree on which inputs are allowed without a human.
 *
 * Run: `npx tsx bench/policy-vs-cedar.ts [inputs]` or `npm run bench policy-vs-cedar`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import {
  decide,
  loadPolicy,
  NO_KILL_SWITCHES,
  type CompiledPolicy,
  type DecisionInput,
} from "../server/src/policy/index.js";

const POLICY_PATH = fileURLToPath(new URL("../manifests/policy.yaml", import.meta.url));
const CEDAR_PATH = fileURLToPath(new URL("./cedar/seed-matrix.cedar", import.meta.url));
const ROLES: Record<string, string> = {
  "prospecting-bot": "prospecting",
  "enrichment-bot": "enrichment",
  "outreach-bot": "outreach",
  "routing-bot": "routing",
  "admin-bot": "admin",
};

/** Deterministic PRNG (mulberry32), so every run measures the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A mix of every matrix row, its pass/fail variants and exceptions, plus deny-by-default traffic. */
export function makeInputs(n: number, seed = 42): DecisionInput[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const score = () => Math.round((0.5 + r() * 0.5) * 100) / 100;
  // Tuesday 15:00–15:59 UTC: inside every window of the shipped policy for these zones.
  const at = () => new Date(Date.UTC(2025, 2, 4, 15, Math.floor(r() * 60)));
  const zones = ["America/New_York", "America/Chicago", "America/Toronto", "Europe/London"];
  const firmographics = ["industry", "numberofemployees", "annualrevenue", "city", "state", "country"];
  const makers: (() => DecisionInput)[] = [
    () => ({
      agentId: "prospecting-bot",
      object: "lead",
      kind: "action",
      action: "create_staging",
      icpMatch: score(),
      attributes: { newSegment: chance(0.1) },
      at: at(),
    }),
    () => ({ agentId: "prospecting-bot", object: "lead", kind: "action", action: "create", at: at() }),
    () => ({
      agentId: "enrichment-bot",
      object: pick(["lead", "company"] as const),
      kind: "field_write",
      field: (chance(0.3) ? "ai_proposed_" : "") + pick(firmographics),
      source: pick(["clearbit", "zoominfo", "apollo", "web-scrape"]),
      attributes: { regulatedIndustry: chance(0.1) },
      recordId: `r${Math.floor(r() * 1000)}`,
      at: at(),
    }),
    () => ({
      agentId: "enrichment-bot",
      object: "contact",
      kind: "field_write",
      field: (chance(0.3) ? "ai_proposed_" : "") + pick(["email", "phone", "mobilephone"]),
      confidence: score(),
      attributes: { execPersona: chance(0.1) },
      recordId: `r${Math.floor(r() * 1000)}`,
      at: at(),
    }),
    () => ({
      agentId: "enrichment-bot",
      object: "contact",
      kind: "field_write",
      field: pick(["hs_lead_status", "hs_email_optout", "jobtitle"]),
      at: at(),
    }),
    () => ({
      agentId: "outreach-bot",
      object: "email",
      kind: "action",
      action: "send_email",
      attributes: {
        template: pick(["intro-v1", "follow-up-v1", "pricing-blast"]),
        domain: pick(["mail.acme.io", "go.acme.io"]),
      },
      prospectTimeZone: pick(zones),
      accountId: `a${Math.floor(r() * 200)}`,
      at: at(),
    }),
    () => ({ agentId: "outreach-bot", object: "task", kind: "action", action: "create_task", at: at() }),
    () =>
      chance(0.5)
        ? {
            agentId: "routing-bot",
            object: "lead",
            kind: "field_write",
            field: "hubspot_owner_id",
            attributes: { slaMatch: chance(0.7), namedAccount: chance(0.1) },
            at: at(),
          }
        : {
            agentId: "routing-bot",
            object: "lead",
            kind: "action",
            action: "change_owner",
            attributes: { slaMatch: chance(0.7), namedAccount: chance(0.1) },
            at: at(),
          },
    () => ({
      agentId: "routing-bot",
      object: pick(["deal", "opportunity"] as const),
      kind: "action",
      action: "create",
      at: at(),
    }),
    () => ({
      agentId: "admin-bot",
      object: pick(["company", "account"] as const),
      kind: "action",
      action: "merge",
      at: at(),
    }),
    () => ({
      agentId: "admin-bot",
      object: "deal",
      kind: "field_write",
      field: "dealstage",
      confidence: score(),
      at: at(),
    }),
    () => ({
      agentId: pick(Object.keys(ROLES)),
      object: "contact",
      kind: "field_write",
      field: pick(["ai_sdr_source", "ai_sdr_confidence_score"]),
      at: at(),
    }),
    () => ({ agentId: "unknown-bot", object: "contact", kind: "field_write", field: "email", at: at() }),
  ];
  return Array.from({ length: n }, () => pick(makers)());
}

type CedarRequest = Pick<cedar.AuthorizationCall, "principal" | "action" | "resource" | "context">;

/** The same input as a Cedar request (see bench/cedar/seed-matrix.cedar for the encoding). */
function toCedar(input: DecisionInput): CedarRequest {
  const context: cedar.Context = {};
  if (input.confidence !== undefined) context.confidence_pct = Math.round(input.confidence * 100);
  if (input.icpMatch !== undefined) context.icp_pct = Math.round(input.icpMatch * 100);
  if (input.source !== undefined) context.source = input.source;
  const a = input.attributes ?? {};
  if (a.template !== undefined) context.template = a.template;
  if (a.slaMatch !== undefined) context.sla_match = a.slaMatch;
  if (a.namedAccount !== undefined) context.named_account = a.namedAccount;
  if (a.regulatedIndustry !== undefined) context.regulated_industry = a.regulatedIndustry;
  if (a.execPersona !== undefined) context.exec_persona = a.execPersona;
  if (a.newSegment !== undefined) context.new_segment = a.newSegment;
  const principal = { type: "Tollgate::Agent", id: input.agentId };
  if (input.kind === "field_write") {
    const field = input.field!.replace(/^ai_proposed_/, "");
    const id = field.startsWith("ai_sdr_") ? field : `${input.object}.${field}`;
    return {
      principal,
      action: { type: "Tollgate::Action", id: "write_field" },
      resource: { type: "Tollgate::Field", id },
      context,
    };
  }
  return {
    principal,
    action: { type: "Tollgate::Action", id: input.action! },
    resource: { type: "Tollgate::Object", id: input.object },
    context,
  };
}

const ENTITIES: cedar.Entities = [
  ...Object.entries(ROLES).map(([agent, role]) => ({
    uid: { type: "Tollgate::Agent", id: agent },
    attrs: {},
    parents: [{ type: "Tollgate::Role", id: role }],
  })),
  ...[...new Set(Object.values(ROLES))].map((role) => ({
    uid: { type: "Tollgate::Role", id: role },
    attrs: {},
    parents: [{ type: "Tollgate::Role", id: "declared" }],
  })),
];

/** Runs `fn` over all inputs repeatedly for about `ms`; returns calls per second. */
function rate(count: number, fn: (i: number) => void, ms: number): number {
  for (let w = 0; w < 2; w++) for (let i = 0; i < count; i++) fn(i);
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < count; i++) fn(i);
    calls += count;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (calls / elapsed) * 1000;
}

export interface PolicyVsCedarResult {
  inputs: number;
  tollgatePerSecond: number;
  cedarPerSecond: number;
  cedarParsedPerCallPerSecond: number;
  ratio: number;
  agreement: number;
}

export async function run(options: { inputs?: number; ms?: number } = {}): Promise<PolicyVsCedarResult> {
  const count = options.inputs ?? 4000;
  const ms = options.ms ?? 1500;
  const policy: CompiledPolicy = loadPolicy(readFileSync(POLICY_PATH, "utf8"), { filename: "policy.yaml" });
  const cedarText = readFileSync(CEDAR_PATH, "utf8");
  const inputs = makeInputs(count);
  const requests = inputs.map(toCedar);

  const parsed = cedar.preparsePolicySet("seed-matrix", { staticPolicies: cedarText });
  if (parsed.type !== "success") throw new Error(`Cedar policies do not parse: ${JSON.stringify(parsed.errors)}`);
  const cedarAllows = (i: number): boolean => {
    const ans = cedar.statefulIsAuthorized({
      ...requests[i]!,
      preparsedPolicySetId: "seed-matrix",
      entities: ENTITIES,
    });
    if (ans.type !== "success") throw new Error(`Cedar failed: ${JSON.stringify(ans.errors)}`);
    return ans.response.decision === "allow";
  };

  // Same matrix, same answers: the bench is meaningless if the engines disagree.
  let agree = 0;
  const disagreements: string[] = [];
  for (let i = 0; i < count; i++) {
    const ours = decide(policy, inputs[i]!, {}, NO_KILL_SWITCHES).outcome === "allow";
    if (ours === cedarAllows(i)) agree++;
    else if (disagreements.length < 5) disagreements.push(JSON.stringify(inputs[i]));
  }
  if (agree !== count)
    throw new Error(`engines disagree on ${count - agree} of ${count} inputs, e.g.\n${disagreements.join("\n")}`);
  const allowed = inputs.filter((input) => decide(policy, input, {}, NO_KILL_SWITCHES).outcome === "allow").length;

  let sink = 0;
  const tollgatePerSecond = rate(
    count,
    (i) => {
      sink += decide(policy, inputs[i]!, {}, NO_KILL_SWITCHES).reasons.length;
    },
    ms,
  );
  const cedarPerSecond = rate(
    count,
    (i) => {
      sink += cedarAllows(i) ? 1 : 0;
    },
    ms,
  );
  const cedarParsedPerCallPerSecond = rate(
    Math.min(count, 500),
    (i) => {
      const ans = cedar.isAuthorized({ ...requests[i]!, policies: { staticPolicies: cedarText }, entities: ENTITIES });
      sink += ans.type === "success" && ans.response.decision === "allow" ? 1 : 0;
    },
    ms,
  );

  const ratio = tollgatePerSecond / cedarPerSecond;
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  console.log(`inputs: ${count} mixed (${allowed} allowed without a human); both engines agree on all of them`);
  console.log(
    `tollgate decide (compiled):           ${fmt(tollgatePerSecond)} decisions/s  (${(1e6 / tollgatePerSecond).toFixed(2)} µs each)`,
  );
  console.log(
    `cedar-wasm ${cedar.getCedarVersion()} statefulIsAuthorized:   ${fmt(cedarPerSecond)} decisions/s  (${(1e6 / cedarPerSecond).toFixed(2)} µs each)`,
  );
  console.log(
    `cedar-wasm isAuthorized (parse/call): ${fmt(cedarParsedPerCallPerSecond)} decisions/s  (${(1e6 / cedarParsedPerCallPerSecond).toFixed(2)} µs each)`,
  );
  console.log(`ratio tollgate / cedar (pre-parsed):  ${ratio.toFixed(1)}×  (goal ≥ 100×)`);
  if (sink < 0) console.log(sink); // keep the work observable
  return {
    inputs: count,
    tollgatePerSecond,
    cedarPerSecond,
    cedarParsedPerCallPerSecond,
    ratio,
    agreement: agree / count,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run({ inputs: Number(process.argv[2] ?? 4000) });
}
