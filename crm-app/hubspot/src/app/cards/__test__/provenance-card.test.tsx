import { Button, EmptyState, ErrorState, Link, LoadingSpinner, Tag, Text, Tile } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fetchTollgate, TollgateRequestError } from "../lib/fetch-tollgate";
import type { ProvenancePage } from "../lib/types";
import { ProvenanceCard } from "../provenance-card";
import { deferred, fakeTollgate, makeChange, makeContext, type SentRequest } from "./fixtures";
import { TOLLGATE_TEST_URL } from "./fixtures";

vi.mock("../lib/fetch-tollgate", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../lib/fetch-tollgate")>()),
  fetchTollgate: vi.fn(),
}));

const PROVENANCE_PATH = "/v1/records/hubspot/companies/901/provenance";

function tollgateWith(answer: (req: SentRequest) => ProvenancePage) {
  const fake = fakeTollgate(answer);
  vi.mocked(fetchTollgate).mockImplementation(fake.impl as typeof fetchTollgate);
  return fake;
}

// The card is declared for the record's middle column (`crm.record.tab`), so it is rendered there.
function renderCard(pageSize?: number) {
  const renderer = createRenderer("crm.record.tab");
  renderer.render(<ProvenanceCard context={{ ...makeContext(), location: "crm.record.tab" }} pageSize={pageSize} />);
  return renderer;
}

beforeEach(() => {
  vi.mocked(fetchTollgate).mockReset();
});

describe("provenance card", () => {
  it("shows a spinner, then asks for the first page with the signed identity and the page size", async () => {
    const answer = deferred<ProvenancePage>();
    const fake = fakeTollgate(() => answer.promise);
    vi.mocked(fetchTollgate).mockImplementation(fake.impl as typeof fetchTollgate);
    const { findByTestId, waitFor } = renderCard();

    expect(findByTestId(LoadingSpinner, "provenance-loading")).toBeDefined();
    answer.resolve({ changes: [makeChange()], nextCursor: null });
    await waitFor(() => findByTestId(Tile, "change-evt_1"));

    const [req] = fake.sent;
    expect(req!.method).toBe("GET");
    expect(req!.url.origin + req!.url.pathname).toBe(`${TOLLGATE_TEST_URL}${PROVENANCE_PATH}`);
    // The record only: HubSpot appends the viewer's identity itself.
    expect(Object.fromEntries(req!.url.searchParams)).toEqual({ objectId: "901", limit: "10" });
  });

  it("shows who changed what, when, the decision and rule, the evidence and the audit event id", async () => {
    tollgateWith(() => ({ changes: [makeChange()], nextCursor: null }));
    const { findByTestId, find, waitFor } = renderCard();
    await waitFor(() => findByTestId(Tile, "change-evt_1"));

    expect(findByTestId(Tag, "outcome-evt_1").text).toBe("allowed");
    expect(findByTestId(Text, "values-evt_1").text).toBe("Banking → Fintech");
    expect(findByTestId(Text, "actor-evt_1").text).toBe(
      "Agent enrichment-bot (enrichment) · field write · 2025-06-01 09:30 UTC",
    );
    expect(findByTestId(Text, "rule-evt_1").text).toBe(
      "Rule roles.enrichment.objects.company.fields.industry · policy 3f2a9c0d1e4b",
    );
    expect(findByTestId(Text, "why-evt_1").text).toBe(
      "Website describes a payments platform · confidence 91% · source clearbit",
    );
    expect(find(Link).props.href).toEqual({ url: "https://acme.test/about", external: true });
    expect(findByTestId(Text, "event-evt_1").text).toBe("Audit event evt_1");
  });

  it("shows approval steps with their approvers, a revert's decision, and an entry that touched no field", async () => {
    tollgateWith(() => ({
      changes: [
        makeChange({
          eventId: "evt_apply",
          occurredAt: "2025-06-01T12:00:00.000Z",
          action: "apply",
          actor: { type: "system", id: "tollgate", role: null },
          outcome: "applied",
          approvedBy: ["Ann Approver", "rep@acme.test"],
          approvalId: "ap_1",
          evidence: null,
        }),
        makeChange({
          eventId: "evt_approve",
          occurredAt: "2025-06-01T11:00:00.000Z",
          action: "approve",
          actor: { type: "human", id: "hubspot:user:4211", role: "approver" },
          outcome: "partially_approved",
          approvedBy: ["rep@acme.test"],
          approvalId: "ap_1",
        }),
        makeChange({
          eventId: "evt_revert",
          occurredAt: "2025-06-01T10:00:00.000Z",
          action: "revert",
          field: "dnc_flag",
          before: "true",
          after: "",
          outcome: "deny",
          reason: null,
          confidence: null,
          source: null,
        }),
        makeChange({
          eventId: "evt_none",
          occurredAt: "2025-06-01T09:00:00.000Z",
          action: "crm_write",
          field: null,
          before: null,
          after: null,
          outcome: "write_failed",
        }),
      ],
      nextCursor: null,
    }));
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Tile, "change-evt_apply"));

    expect(findByTestId(Text, "actor-evt_apply").text).toBe("System tollgate · apply · 2025-06-01 12:00 UTC");
    expect(findByTestId(Tag, "outcome-evt_apply").text).toBe("applied");
    expect(findByTestId(Tag, "outcome-evt_apply").props.variant).toBe("success");
    expect(findByTestId(Text, "approvers-evt_apply").text).toBe("Approved by Ann Approver, rep@acme.test");
    expect(findByTestId(Text, "actor-evt_approve").text).toBe("HubSpot user 4211 · approve · 2025-06-01 11:00 UTC");
    expect(findByTestId(Tag, "outcome-evt_approve").text).toBe("partly approved");
    expect(findByTestId(Tag, "outcome-evt_revert").text).toBe("denied");
    expect(findByTestId(Tag, "outcome-evt_revert").props.variant).toBe("error");
    expect(findByTestId(Text, "values-evt_revert").text).toBe("true → (empty)");
    expect(maybeFindByTestId(Text, "why-evt_revert")).toBeNull();
    expect(maybeFindByTestId(Text, "approvers-evt_revert")).toBeNull();
    expect(findByTestId(Tag, "outcome-evt_none").text).toBe("write failed");
    expect(maybeFindByTestId(Text, "values-evt_none")).toBeNull();
  });

  it("lists newest first", async () => {
    tollgateWith(() => ({
      changes: [
        makeChange({ eventId: "evt_a", occurredAt: "2025-05-01T00:00:00.000Z" }),
        makeChange({ eventId: "evt_b", occurredAt: "2025-06-01T00:00:00.000Z" }),
      ],
      nextCursor: null,
    }));
    const { findAll, findByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Tile, "change-evt_a"));

    expect(findAll(Tile).map((t) => t.props.testId)).toEqual(["change-evt_b", "change-evt_a"]);
  });

  it("pages forward with the cursor Tollgate gave, and back to the first page", async () => {
    const fake = tollgateWith((req) =>
      req.url.searchParams.get("cursor") === "c2"
        ? { changes: [makeChange({ eventId: "evt_old", occurredAt: "2025-01-01T00:00:00.000Z" })], nextCursor: null }
        : {
            changes: [
              makeChange({ eventId: "evt_new" }),
              makeChange({ eventId: "evt_mid", occurredAt: "2025-05-01T00:00:00.000Z" }),
            ],
            nextCursor: "c2",
          },
    );
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard(2);
    await waitFor(() => findByTestId(Tile, "change-evt_new"));

    expect(findByTestId(Button, "provenance-previous").props.disabled).toBe(true);
    expect(findByTestId(Button, "provenance-next").props.disabled).toBe(false);
    expect(findByTestId(Text, "provenance-page").text).toBe("Page 1");

    findByTestId(Button, "provenance-next").trigger("onClick");
    await waitFor(() => findByTestId(Tile, "change-evt_old"));
    expect(maybeFindByTestId(Tile, "change-evt_new")).toBeNull();
    expect(fake.sent[1]!.url.searchParams.get("cursor")).toBe("c2");
    expect(fake.sent[1]!.url.searchParams.get("limit")).toBe("2");
    expect(findByTestId(Text, "provenance-page").text).toBe("Page 2");
    expect(findByTestId(Button, "provenance-next").props.disabled).toBe(true);
    expect(findByTestId(Button, "provenance-previous").props.disabled).toBe(false);

    findByTestId(Button, "provenance-previous").trigger("onClick");
    await waitFor(() => findByTestId(Tile, "change-evt_new"));
    expect(fake.sent).toHaveLength(3);
    expect(fake.sent[2]!.url.searchParams.has("cursor")).toBe(false);
    expect(findByTestId(Text, "provenance-page").text).toBe("Page 1");
  });

  it("says so when the record has no governed changes", async () => {
    tollgateWith(() => ({ changes: [], nextCursor: null }));
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(EmptyState, "provenance-empty"));

    expect(findByTestId(EmptyState, "provenance-empty").props.title).toBe("No governed changes yet");
  });

  it("shows the error with a retry", async () => {
    let fail = true;
    const fake = fakeTollgate(() => {
      if (fail) throw new TollgateRequestError({ code: "forbidden", message: "this portal is not installed" }, 403);
      return { changes: [makeChange()], nextCursor: null };
    });
    vi.mocked(fetchTollgate).mockImplementation(fake.impl as typeof fetchTollgate);
    const { findByTestId, maybeFind, waitFor } = renderCard();
    await waitFor(() => findByTestId(ErrorState, "provenance-error"));

    expect(findByTestId(ErrorState, "provenance-error").find(Text).text).toBe("this portal is not installed");
    fail = false;
    findByTestId(Button, "provenance-retry").trigger("onClick");
    await waitFor(() => findByTestId(Tile, "change-evt_1"));
    expect(maybeFind(ErrorState)).toBeNull();
  });
});
