import { describe, expect, it } from "vitest";
import { formatSetupProgress } from "../../src/install/index.js";

describe("formatSetupProgress (tollgate setup status)", () => {
  it("a run still baselining: each object, the totals, and what a policy change needs uploaded", () => {
    const text = formatSetupProgress(
      {
        tenantId: "62515",
        state: "baselining",
        reason: "policy_change",
        startedAt: "2025-06-02T12:00:00.000Z",
        finishedAt: null,
        created: 2,
        objects: [
          { objectType: "contacts", records: 1200, values: 8400, calls: 12 },
          { objectType: "companies", records: 300, values: 900, calls: 3 },
        ],
        subscriptionsToUpload: ["contact.jobtitle"],
        error: null,
      },
      new Date("2025-06-02T12:00:42.000Z"),
    );
    expect(text.split("\n")).toEqual([
      "setup (policy change) for 62515: baselining · 2 properties created · 42s",
      "  contacts: 1200 records, 8400 values, 12 calls",
      "  companies: 300 records, 900 values, 3 calls",
      "  baseline so far: 1500 records, 9300 values in 15 CRM calls",
      "  still running…",
      "  webhook subscriptions to upload (contact.jobtitle): npm run hubspot:webhooks && hs project upload",
    ]);
  });

  it("a failed run says why; no run says when one happens", () => {
    expect(
      formatSetupProgress({
        tenantId: "62515",
        state: "failed",
        reason: "install",
        startedAt: "2025-06-02T12:00:00.000Z",
        finishedAt: "2025-06-02T12:00:05.000Z",
        created: 0,
        objects: [],
        subscriptionsToUpload: [],
        error: "crm_forbidden: missing scope",
      }),
    ).toBe("setup (install) for 62515: failed — crm_forbidden: missing scope · 0 properties created · 5s");
    expect(formatSetupProgress(null)).toContain("no run since Tollgate started");
  });
});
