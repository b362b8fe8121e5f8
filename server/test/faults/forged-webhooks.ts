import fc from "fast-check";
import { createAuditLog } from "../../src/audit/index.js";
import { signWebhook } from "../../sandbox/hubspot/sign-webhook.js";
import { startFaultStack, TENANT } from "./fault-stack.js";

/** What the flood of forged and malformed webhooks did. */
export interface ForgedFigures {
  fault: string;
  sent: number;
  /** Answered 2xx: must be 0. */
  accepted: number;
  /** Answered 5xx or not at all: must be 0. */
  serverErrors: number;
  /** The process died: must be false. */
  crashed: boolean;
  /** Receipts, processed events and agent decisions left behind: must be 0. */
  traces: number;
  auditChainOk: boolean;
  statuses: Record<string, number>;
  /** A few requests that were not refused, to reproduce them. */
  examples: string[];
}

interface Request {
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** Built when sent: signatures carry the time of sending, as HubSpot's do. */
interface Attack {
  kind: string;
  body: string;
  make: () => Request;
}

const SUBSCRIPTIONS = new Set(["contact.propertyChange", "company.propertyChange", "deal.propertyChange"]);

/** A plausible agent write to a contact, as HubSpot would send it. */
const eventArb = fc.record({
  eventId: fc.integer({ min: 1, max: 2 ** 31 }),
  subscriptionId: fc.integer({ min: 1, max: 99_999 }),
  portalId: fc.constant(Number(TENANT)),
  appId: fc.integer({ min: 1, max: 2_000_000 }),
  occurredAt: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
  subscriptionType: fc.constantFrom(...SUBSCRIPTIONS),
  attemptNumber: fc.nat(9),
  objectId: fc.integer({ min: 1, max: 99_999 }),
  propertyName: fc.constantFrom("lifecyclestage", "email", "industry"),
  propertyValue: fc.string(),
  changeSource: fc.constantFrom("INTEGRATION", "CRM_UI", "API"),
  sourceId: fc.constant("1000002"),
});

/** A field every event needs, made invalid in a way the schema must catch. */
const corruption = fc.oneof(
  fc.record({
    field: fc.constant("eventId"),
    value: fc.oneof(
      fc.string().filter((s) => !/^\d+$/.test(s)),
      fc.constant(-1),
      fc.double({ noInteger: true }),
      fc.constant(null),
    ),
  }),
  fc.record({
    field: fc.constant("portalId"),
    value: fc.oneof(
      fc.string().filter((s) => !/^\d+$/.test(s)),
      fc.constant(-7),
      fc.object(),
    ),
  }),
  fc.record({
    field: fc.constant("occurredAt"),
    value: fc.oneof(fc.string(), fc.integer({ max: -1 }), fc.constant(null)),
  }),
  fc.record({
    field: fc.constant("subscriptionType"),
    value: fc.oneof(
      fc.string().filter((s) => !SUBSCRIPTIONS.has(s) && !s.includes(".")),
      fc.integer(),
    ),
  }),
);

const badEventArb = fc
  .tuple(eventArb, corruption)
  .map(([event, c]) => ({ ...event, [c.field]: c.value }) as Record<string, unknown>);

const validBody = fc.array(eventArb, { minLength: 1, maxLength: 5 }).map((events) => JSON.stringify(events));

/** Bodies whose signature is right but which can never be a usable batch. */
const malformedBody = fc.oneof(
  fc.array(badEventArb, { minLength: 1, maxLength: 5 }).map((events) => JSON.stringify(events)),
  fc.json().filter((j) => !j.trimStart().startsWith("[")),
  fc.constant("[]"),
  fc.string().filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
);

function attacks(secret: string, target: string): fc.Arbitrary<Attack> {
  const json = { "content-type": "application/json" };
  const post = (kind: string, body: string, headers: () => Record<string, string>): Attack => ({
    kind,
    body,
    make: () => ({ method: "POST", headers: headers(), body }),
  });
  return fc.oneof(
    // Forged: signed with a secret that is not HubSpot's.
    fc.tuple(validBody, fc.string({ minLength: 1 })).map(([body, wrong]) =>
      post("wrong secret", body, () => ({
        ...json,
        ...signWebhook(wrong === secret ? `${wrong}x` : wrong, target, body, Date.now()),
      })),
    ),
    // Replayed: a real signature, outside the five-minute window either way.
    fc.tuple(validBody, fc.integer({ min: 310_000, max: 10 ** 9 }), fc.boolean()).map(([body, age, future]) =>
      post("stale timestamp", body, () => ({
        ...json,
        ...signWebhook(secret, target, body, future ? Date.now() + age : Date.now() - age),
      })),
    ),
    // Tampered: signed, then changed in transit.
    fc.tuple(validBody, fc.string({ minLength: 1, maxLength: 8 })).map(([body, extra]) => {
      const tampered = body.replace(/"propertyValue":"/, `"propertyValue":"${extra.replace(/["\\]/g, "")}z`);
      return {
        ...post("tampered body", tampered, () => ({ ...json, ...signWebhook(secret, target, body, Date.now()) })),
      };
    }),
    // Malformed: correctly signed, but nothing in it can be processed.
    malformedBody.map((body) =>
      post("malformed, signed", body, () => ({ ...json, ...signWebhook(secret, target, body, Date.now()) })),
    ),
    // Headers missing, wrong content type, wrong method.
    fc.tuple(validBody, fc.constantFrom("none", "no timestamp", "text/plain", "GET")).map(([body, how]): Attack => {
      const signed = () => signWebhook(secret, target, body, Date.now());
      if (how === "GET") return { kind: how, body: "", make: () => ({ method: "GET", headers: signed(), body: "" }) };
      if (how === "text/plain") return post(how, body, () => ({ "content-type": "text/plain", ...signed() }));
      return post(how, body, () => {
        const { "X-HubSpot-Request-Timestamp": _ts, ...noTimestamp } = signed();
        return how === "none" ? json : { ...json, ...noTimestamp };
      });
    }),
  );
}

/**
 * `count` forged or malformed webhooks from fast-check (seeded, so a failure replays), sent to a
 * running Tollgate a few at a time: every one must be refused with a 4xx, none may leave a
 * receipt, a processed event or a decision behind, and the process must still answer.
 */
export async function forgedWebhooks(count = 10_000, seed = 20_240_610): Promise<ForgedFigures> {
  const stack = await startFaultStack();
  try {
    // Each refusal is logged as a warning; at this rate only errors are worth the CPU.
    const tollgate = await stack.startTollgate({ target: false, env: { LOG_LEVEL: "error" } });
    const target = `${tollgate.url}/webhooks/hubspot`;
    const secret = stack.env["HUBSPOT_CLIENT_SECRET"]!;
    const all = fc.sample(attacks(secret, target), { numRuns: count, seed });
    const statuses: Record<string, number> = {};
    const examples: string[] = [];
    let accepted = 0;
    let serverErrors = 0;
    let next = 0;
    const send = async (a: Attack) => {
      let status = 0;
      const req = a.make();
      try {
        const res = await fetch(target, {
          method: req.method,
          headers: req.headers,
          ...(req.method === "GET" ? {} : { body: req.body }),
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 0;
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) accepted++;
      if (status === 0 || status >= 500) serverErrors++;
      if ((status < 400 || status >= 500) && examples.length < 3)
        examples.push(`${status} ${a.kind}: ${a.body.slice(0, 200)}`);
    };
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < all.length) await send(all[next++]!);
      }),
    );
    const alive = tollgate.child.exitCode === null && (await fetch(`${tollgate.url}/healthz`)).status === 200;
    const { rows } = await stack.db.query<{ n: number }>(
      "SELECT (SELECT count(*)::int FROM webhook_receipts) + (SELECT count(*)::int FROM processed_events) + (SELECT count(*)::int FROM audit_events WHERE event->'actor'->>'type' = 'agent') AS n",
    );
    return {
      fault: `${count} forged or malformed webhooks (fast-check, seed ${seed})`,
      sent: all.length,
      accepted,
      serverErrors,
      crashed: !alive,
      traces: rows[0]!.n,
      auditChainOk: (await (await createAuditLog(stack.db)).verify(TENANT)).ok,
      statuses,
      examples,
    };
  } finally {
    await stack.close();
  }
}
