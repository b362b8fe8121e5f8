import { Button, Checkbox, Text } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { InboxPage } from "../pages/inbox-page";
import { makeApproval, NOW } from "./fixtures";
import { fakeHubSpotFetch, makePageContext, ok, triggerWith } from "./page-harness";

// HubSpot formats property values with the portal's own definitions (formatCrmProperties runs in
// HubSpot's worker); here it answers as HubSpot would for an owner and a currency amount.
const { formatCrmProperties } = vi.hoisted(() => ({ formatCrmProperties: vi.fn() }));
vi.mock("@hubspot/ui-extensions", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@hubspot/ui-extensions")>()),
  formatCrmProperties,
}));

const LABELS: Record<string, string> = { "501": "Ada Lovelace", "502": "Grace Hopper", "2500": "$2,500.00" };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("values as HubSpot displays them", () => {
  it("owners by name and money as currency, on the proposal and in the batch manifest", async () => {
    formatCrmProperties.mockImplementation(async ({ properties }: { properties: Record<string, string | null>[] }) =>
      properties.map((p) =>
        Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v === null ? null : (LABELS[v] ?? v)])),
      ),
    );
    const owner = makeApproval({
      id: "ap_o",
      objectType: "deals",
      field: "hubspot_owner_id",
      currentValue: "501",
      proposedValue: "502",
    });
    const amount = makeApproval({
      id: "ap_a",
      objectType: "deals",
      field: "amount",
      currentValue: null,
      proposedValue: "2500",
    });
    fakeHubSpotFetch(() =>
      ok({ view: "mine", approvals: [owner, amount], counts: { mine: 2, team: 2, overdue: 0, all: 2 } }),
    );
    const r = createRenderer("pages");
    r.render(<InboxPage context={makePageContext()} now={() => NOW} />);
    await r.waitFor(() => expect(r.findByTestId(Text, "values-ap_o").text).toBe("Ada Lovelace → Grace Hopper"));
    expect(r.findByTestId(Text, "values-ap_a").text).toBe("(empty) → $2,500.00");
    expect(formatCrmProperties).toHaveBeenCalledWith({
      objectType: "0-3",
      properties: [{ hubspot_owner_id: "501" }, { hubspot_owner_id: "502" }, { amount: null }, { amount: "2500" }],
    });

    triggerWith(r.findByTestId(Checkbox, "select-ap_o"), "onChange", true);
    r.findByTestId(Button, "approve-selected").trigger("onClick");
    expect(r.findByTestId(Text, "batch-item-ap_o").text).toBe("hubspot_owner_id: Ada Lovelace → Grace Hopper");
  });

  it("shows the raw values when HubSpot cannot format them", async () => {
    formatCrmProperties.mockRejectedValue(new Error("not in HubSpot"));
    fakeHubSpotFetch(() =>
      ok({ view: "mine", approvals: [makeApproval()], counts: { mine: 1, team: 1, overdue: 0, all: 1 } }),
    );
    const r = createRenderer("pages");
    r.render(<InboxPage context={makePageContext()} now={() => NOW} />);
    await r.waitFor(() => expect(r.findByTestId(Text, "values-ap_1").text).toBe("Banking → Fintech"));
  });
});
