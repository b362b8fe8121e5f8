import { Button, ErrorState, Flex, Tag, Text } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApprovalCard } from "../approval-card";
import { ProvenanceCard } from "../provenance-card";
import { makeApproval, makeContext, NOW } from "./fixtures";
import { fakeHubSpotFetch, ok, refused, type Shape } from "./page-harness";

// The record cards through the real fetchTollgate, against a stand-in for hubspot.fetch: each of
// Tollgate's answers arrives as it would — straight, or wrapped by HubSpot's proxy.
afterEach(() => {
  vi.restoreAllMocks();
});

function renderApprovals() {
  const renderer = createRenderer("crm.record.sidebar");
  renderer.render(
    <ApprovalCard
      context={makeContext()}
      actions={{ refreshObjectProperties: vi.fn() }}
      now={() => NOW}
      applyPollMs={5}
    />,
  );
  return renderer;
}

describe("record cards over HubSpot's fetch", () => {
  it.each<Shape>(["direct", "proxied"])("the approval card shows Tollgate's refusal (%s)", async (shape) => {
    fakeHubSpotFetch(() => refused(403, "portal_not_installed", "portal 62515 has not installed Tollgate"), shape);
    const { find, findByTestId, waitFor } = renderApprovals();
    await waitFor(() => findByTestId(ErrorState, "approvals-error"));
    expect(find(ErrorState).find(Text).text).toBe("portal 62515 has not installed Tollgate");
  });

  it.each<Shape>(["direct", "proxied"])("the approval card shows a conflict as a conflict (%s)", async (shape) => {
    fakeHubSpotFetch(
      (req) =>
        req.method === "POST"
          ? refused(409, "conflict", "industry changed since the proposal; nothing was overwritten")
          : ok({ approvals: [makeApproval()] }),
      shape,
    );
    const { findByTestId, waitFor } = renderApprovals();
    await waitFor(() => findByTestId(Button, "approve-ap_1"));
    findByTestId(Button, "approve-ap_1").trigger("onClick");
    await waitFor(() => findByTestId(Flex, "result-ap_1"));
    expect(findByTestId(Flex, "result-ap_1").find(Tag).text).toBe("conflict");
    expect(findByTestId(Flex, "result-ap_1").find(Text).text).toContain("nothing was overwritten");
  });

  it("the approval card shows a send approval's recipient, subject and body, not its digest", async () => {
    const send = makeApproval({
      id: "ap_s",
      field: "send_email",
      action: "send_email",
      proposedValue: '{"action":"send_email","bodySha256":"ab12"}',
      message: { to: "ada@northwind.test", subject: "Quick question", body: "Hi Ada, could we talk on Tuesday?" },
    });
    fakeHubSpotFetch(() => ok({ approvals: [send] }));
    const { findByTestId, maybeFind, waitFor } = renderApprovals();
    await waitFor(() => findByTestId(Text, "message-ap_s-body"));
    expect(findByTestId(Text, "message-ap_s-to").text).toBe("To: ada@northwind.test");
    expect(findByTestId(Text, "message-ap_s-subject").text).toBe("Subject: Quick question");
    expect(findByTestId(Text, "message-ap_s-body").text).toBe("Hi Ada, could we talk on Tuesday?");
    expect(maybeFind(Text, { testId: "values-ap_s" })).toBeNull();
  });

  it.each<Shape>(["direct", "proxied"])("the provenance card shows Tollgate's refusal (%s)", async (shape) => {
    fakeHubSpotFetch(() => refused(503, "crm_user_unavailable", "could not read your CRM user"), shape);
    const renderer = createRenderer("crm.record.tab");
    renderer.render(<ProvenanceCard context={makeContext()} />);
    await renderer.waitFor(() => renderer.findByTestId(ErrorState, "provenance-error"));
    expect(renderer.find(ErrorState).find(Text).text).toBe("could not read your CRM user");
  });
});
