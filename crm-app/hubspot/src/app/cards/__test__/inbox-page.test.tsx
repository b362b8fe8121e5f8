import {
  Button,
  Checkbox,
  EmptyState,
  ErrorState,
  Flex,
  Link,
  LoadingSpinner,
  Select,
  Tag,
  Text,
} from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { InboxPage } from "../pages/inbox-page";
import type { Approval, Inbox } from "../lib/types";
import { makeApproval, NOW } from "./fixtures";
import { fakeHubSpotFetch, makePageContext, ok, refused, triggerWith, type Shape } from "./page-harness";

afterEach(() => {
  vi.restoreAllMocks();
});

const COUNTS = { mine: 2, team: 3, overdue: 1, all: 5 };
const inbox = (approvals: Approval[], view: Inbox["view"] = "mine"): Inbox => ({ view, approvals, counts: COUNTS });
const deal = makeApproval({
  id: "ap_2",
  objectType: "deals",
  objectId: "77",
  field: "amount",
  currentValue: "1000",
  proposedValue: "2500",
});

function renderInbox() {
  const renderer = createRenderer("pages");
  renderer.render(<InboxPage context={makePageContext()} now={() => NOW} applyPollMs={5} />);
  return renderer;
}

describe("the app's home page: the approval inbox", () => {
  it("shows a spinner, then my proposals across records, each linked to its record, with the views' counts", async () => {
    const sent = fakeHubSpotFetch(() => ok(inbox([makeApproval(), deal])));
    const { find, findByTestId, maybeFind, waitFor } = renderInbox();
    expect(find(LoadingSpinner).props.label).toBe("Loading proposals");
    await waitFor(() => findByTestId(Link, "record-ap_2"));

    expect(maybeFind(LoadingSpinner)).toBeNull();
    expect(findByTestId(Link, "record-ap_1").text).toBe("Company 901");
    expect(findByTestId(Link, "record-ap_2").props.href).toBe("https://app.hubspot.com/contacts/62515/record/0-3/77");
    expect(findByTestId(Button, "view-mine").text).toBe("Mine (2)");
    expect(findByTestId(Button, "view-overdue").text).toBe("Overdue (1)");
    // A page is on no record: only the view goes into the URL; HubSpot appends who is asking.
    expect(sent[0]!.url.pathname).toBe("/v1/inbox");
    expect(Object.fromEntries(sent[0]!.url.searchParams)).toEqual({ view: "mine" });
  });

  it("switches views and filters by object", async () => {
    const sent = fakeHubSpotFetch((req) =>
      ok(inbox([], (req.url.searchParams.get("view") ?? "mine") as Inbox["view"])),
    );
    const { findByTestId, waitFor } = renderInbox();
    await waitFor(() => findByTestId(EmptyState, "approvals-empty"));
    expect(findByTestId(EmptyState, "approvals-empty").find(Text).text).toBe("Nothing waits for your decision.");

    findByTestId(Button, "view-overdue").trigger("onClick");
    await waitFor(() => expect(sent.at(-1)!.url.searchParams.get("view")).toBe("overdue"));
    triggerWith(findByTestId(Select, "filter-object"), "onChange", "deals");
    await waitFor(() =>
      expect(Object.fromEntries(sent.at(-1)!.url.searchParams)).toEqual({ view: "overdue", objectType: "deals" }),
    );
    await waitFor(() =>
      expect(findByTestId(EmptyState, "approvals-empty").find(Text).text).toBe("Nothing is overdue."),
    );
  });

  it.each<Shape>(["direct", "proxied"])(
    "shows Tollgate's own message when it refuses (%s), and retries",
    async (shape) => {
      let fail = true;
      fakeHubSpotFetch(
        () =>
          fail
            ? refused(503, "crm_user_unavailable", "could not read your CRM user to check approver groups")
            : ok(inbox([])),
        shape,
      );
      const { find, findByTestId, maybeFind, waitFor } = renderInbox();
      await waitFor(() => findByTestId(ErrorState, "approvals-error"));
      expect(find(ErrorState).find(Text).text).toBe("could not read your CRM user to check approver groups");

      fail = false;
      findByTestId(Button, "approvals-retry").trigger("onClick");
      await waitFor(() => expect(maybeFind(ErrorState)).toBeNull());
    },
  );

  it("an expired proposal cannot be approved or ticked, and says why", async () => {
    fakeHubSpotFetch(() => ok(inbox([makeApproval({ expiresAt: "2025-06-02T11:00:00.000Z" })])));
    const { findByTestId, maybeFind, waitFor } = renderInbox();
    await waitFor(() => findByTestId(Text, "expired-ap_1"));
    expect(findByTestId(Text, "expired-ap_1").text).toContain("can no longer be approved");
    expect(maybeFind(Button, { testId: "approve-ap_1" })).toBeNull();
    expect(findByTestId(Checkbox, "select-ap_1").props.readOnly).toBe(true);
  });

  it("batch approve lists the manifest and asks to confirm before one batch request", async () => {
    const sent = fakeHubSpotFetch((req) =>
      req.method === "POST"
        ? ok({
            results: [
              { id: "ap_1", ok: true, status: "approved", outcome: "approved" },
              { id: "ap_2", ok: true, status: "approved", outcome: "approved" },
            ],
          })
        : ok(inbox([makeApproval(), deal])),
    );
    const { findByTestId, maybeFind, waitFor } = renderInbox();
    await waitFor(() => findByTestId(Checkbox, "select-ap_2"));
    triggerWith(findByTestId(Checkbox, "select-ap_1"), "onChange", true);
    triggerWith(findByTestId(Checkbox, "select-ap_2"), "onChange", true);
    findByTestId(Button, "approve-selected").trigger("onClick");

    expect(findByTestId(Text, "batch-item-ap_1").text).toBe("industry: Banking → Fintech");
    expect(findByTestId(Text, "batch-item-ap_2").text).toBe("amount: 1000 → 2500");
    expect(sent.filter((r) => r.method === "POST")).toHaveLength(0);
    findByTestId(Button, "approve-selected-confirm").trigger("onClick");
    await waitFor(() => expect(maybeFind(Button, { testId: "approve-selected-confirm" })).toBeNull());
    const posts = sent.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.url.pathname).toBe("/v1/approvals/batch");
    expect(posts[0]!.body).toEqual({
      items: [
        { id: "ap_1", decision: "approve", expected: { value: "Fintech" } },
        { id: "ap_2", decision: "approve", expected: { value: "2500" } },
      ],
    });
  });

  it("a batch's results name each field by the portal's label, as the manifest does", async () => {
    const industry = makeApproval({ fieldLabel: "Industry sector" });
    const amount = { ...deal, fieldLabel: "Amount" };
    fakeHubSpotFetch((req) =>
      req.method === "POST"
        ? ok({
            results: [
              {
                id: "ap_1",
                ok: true,
                status: "approved",
                outcome: "approved",
                fieldLabel: "Industry sector",
                approval: { ...industry, status: "approved" },
              },
              {
                id: "ap_2",
                ok: false,
                status: "expired",
                error: { code: "approval_expired", message: "expired before it was approved" },
                fieldLabel: "Amount",
                approval: { ...amount, status: "expired" },
              },
            ],
          })
        : ok(inbox([industry, amount])),
    );
    const { findByTestId, waitFor } = renderInbox();
    await waitFor(() => findByTestId(Checkbox, "select-ap_2"));
    triggerWith(findByTestId(Checkbox, "select-ap_1"), "onChange", true);
    triggerWith(findByTestId(Checkbox, "select-ap_2"), "onChange", true);
    findByTestId(Button, "approve-selected").trigger("onClick");
    expect(findByTestId(Text, "batch-item-ap_1").text).toBe("Industry sector: Banking → Fintech");
    findByTestId(Button, "approve-selected-confirm").trigger("onClick");
    await waitFor(() => findByTestId(Flex, "result-ap_2"));
    expect(findByTestId(Flex, "result-ap_1").find(Text).text).toMatch(/^Industry sector: /);
    expect(findByTestId(Flex, "result-ap_2").find(Text).text).toBe("Amount: expired before it was approved");
  });

  it.each<Shape>(["direct", "proxied"])(
    "a conflict (%s) is shown as a conflict, nothing overwritten",
    async (shape) => {
      fakeHubSpotFetch(
        (req) =>
          req.method === "POST"
            ? refused(409, "conflict", "industry changed since the proposal; nothing was overwritten")
            : ok(inbox([makeApproval()])),
        shape,
      );
      const { findByTestId, waitFor } = renderInbox();
      await waitFor(() => findByTestId(Button, "approve-ap_1"));
      findByTestId(Button, "approve-ap_1").trigger("onClick");
      await waitFor(() => findByTestId(Flex, "result-ap_1"));
      expect(findByTestId(Flex, "result-ap_1").find(Tag).text).toBe("conflict");
      expect(findByTestId(Flex, "result-ap_1").find(Text).text).toContain("nothing was overwritten");
    },
  );

  it("a send approval shows the recipient, subject and body the rep approves", async () => {
    const send = makeApproval({
      id: "ap_s",
      field: "send_email",
      action: "send_email",
      proposedValue: '{"action":"send_email","bodySha256":"ab12"}',
      message: { to: "ada@northwind.test", subject: "Quick question", body: "Hi Ada, could we talk on Tuesday?" },
    });
    fakeHubSpotFetch(() => ok(inbox([send])));
    const { findByTestId, maybeFind, waitFor } = renderInbox();
    await waitFor(() => findByTestId(Text, "message-ap_s-body"));
    expect(findByTestId(Text, "message-ap_s-to").text).toBe("To: ada@northwind.test");
    expect(findByTestId(Text, "message-ap_s-subject").text).toBe("Subject: Quick question");
    expect(findByTestId(Text, "message-ap_s-body").text).toBe("Hi Ada, could we talk on Tuesday?");
    // Not the digest.
    expect(maybeFind(Text, { testId: "values-ap_s" })).toBeNull();
  });
});
