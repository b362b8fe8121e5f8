import { describe, expect, it } from "vitest";
import { decide, loadPolicy, NO_KILL_SWITCHES, REASONS } from "../../src/policy/index.js";
import { action, fieldWrite, shipped, shippedText, WORKDAY } from "./helpers.js";

const HOUR = 3_600_000;
const later = new Date(WORKDAY.getTime() + HOUR);

describe("safe mode is an input of the pure decision", () => {
  const policy = shipped();

  it("holds a tier-2 action for a person until it expires, then allows it again", () => {
    const input = action("outreach-bot", "contact", "create_task");
    expect(decide(policy, input, {}, NO_KILL_SWITCHES).outcome).toBe("allow");
    const held = decide(policy, { ...input, safeModeUntil: later }, {}, NO_KILL_SWITCHES);
    expect(held).toMatchObject({ outcome: "needs_approval", tier: 2 });
    expect(held.reasons).toContain(REASONS.safeMode(later));
    // Expired: the same input one second after `until` is allowed — no clock but `input.at`.
    const after = { ...input, safeModeUntil: later, at: new Date(later.getTime() + 1000) };
    expect(decide(policy, after, {}, NO_KILL_SWITCHES).outcome).toBe("allow");
  });

  it("also sends to a person a tier-3 write its auto rule would let through; a deny stays a deny", () => {
    const email = fieldWrite("enrichment-bot", "contact", "email", {
      viaShadow: true,
      confidence: 0.95,
      attributes: { execPersona: false },
    });
    expect(decide(policy, email, {}, NO_KILL_SWITCHES).outcome).toBe("allow");
    expect(decide(policy, { ...email, safeModeUntil: later }, {}, NO_KILL_SWITCHES).outcome).toBe("needs_approval");
    const readOnly = fieldWrite("enrichment-bot", "contact", "lifecyclestage", { safeModeUntil: later });
    expect(decide(policy, readOnly, {}, NO_KILL_SWITCHES).outcome).toBe("deny");
  });

  it("a policy can put an agent in safe mode itself (agents[].safe_mode_until), for a new client", () => {
    const text = shippedText().replace(
      "  - id: outreach-bot\n",
      `  - id: outreach-bot\n    safe_mode_until: "${later.toISOString()}"\n`,
    );
    expect(text).not.toBe(shippedText());
    const own = loadPolicy(text);
    const d = decide(own, action("outreach-bot", "contact", "create_task"), {}, NO_KILL_SWITCHES);
    expect(d).toMatchObject({ outcome: "needs_approval", reasons: expect.arrayContaining([REASONS.safeMode(later)]) });
    const afterwards = action("outreach-bot", "contact", "create_task", { at: new Date(later.getTime() + 1) });
    expect(decide(own, afterwards, {}, NO_KILL_SWITCHES).outcome).toBe("allow");
  });
});
