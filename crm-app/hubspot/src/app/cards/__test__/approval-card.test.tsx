import { Button, Checkbox, EmptyState, ErrorState, Flex, Link, LoadingSpinner, StatusTag, Tag, Text, TextArea } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApprovalCard } from "../approval-card";
import { fetchTollgate, TollgateRequestError } from "../lib/fetch-tollgate";
import type { Approval, ApprovalDecisionResponse, ApprovalOutcome, BatchResponse } from "../lib/types";
import { deferred, fakeTollgate, makeApproval, makeContext, NOW, type SentRequest } from "./fixtures";

// hubspot.fetch is not mocked by @hubspot/ui-extensions/testing; the cards reach Tollgate only
// through fetchTollgate, so the tests stand in for Tollgate there. The error class stays real.
vi.mock("../lib/fetch-tollgate", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../lib/fetch-tollgate")>()),
  fetchTollgate: vi.fn(),
}));

/** Tollgate applies an approved value through its write queue; the card looks again this often. */
const POLL_MS = 5;
const APPROVALS_PATH = "/v1/records/hubspot/companies/901/approvals";
const IDENTITY = { portalId: "62515", userId: "4211", userEmail: "rep@acme.test", objectId: "901" };

/** Tollgate with a list of approvals; `decide` answers the POSTs. */
function tollgateWith(list: () => Approval[], decide: (req: SentRequest) => unknown = () => ({})) {
  const fake = fakeTollgate((req) => (req.method === "GET" && req.url.pathname === APPROVALS_PATH ? { approvals: list() } : decide(req)));
  vi.mocked(fetchTollgate).mockImplementation(fake.impl as typeof fetchTollgate);
  return fake;
}

function renderCard() {
  const renderer = createRenderer("crm.record.sidebar");
  const refresh = vi.fn();
  renderer.render(<ApprovalCard context={makeContext()} actions={{ refreshObjectProperties: refresh }} now={() => NOW} applyPollMs={POLL_MS} />);
  return { ...renderer, refresh };
}

/** `trigger`'s argument is typed as the handler itself; the handlers here take plain values. */
function triggerWith(node: { trigger: unknown }, event: string, value: unknown) {
  (node.trigger as (name: string, arg: unknown) => void)(event, value);
}

/** Tollgate's answer to approve / reject: the approval as it now stands, plus what the request did. */
function answered(outcome: ApprovalOutcome, overrides: Partial<Approval>): ApprovalDecisionResponse {
  return { ...makeApproval(overrides), outcome };
}

const gets = (sent: SentRequest[]) => sent.filter((r) => r.method === "GET").length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function identityOf(url: URL) {
  return Object.fromEntries(["portalId", "userId", "userEmail", "objectId"].map((k) => [k, url.searchParams.get(k)]));
}

beforeEach(() => {
  vi.mocked(fetchTollgate).mockReset();
});

describe("approval card: reading", () => {
  it("shows a spinner until Tollgate answers", async () => {
    const answer = deferred<unknown>();
    vi.mocked(fetchTollgate).mockReturnValue(answer.promise as Promise<never>);
    const { findByTestId, maybeFind, waitFor } = renderCard();

    expect(findByTestId(LoadingSpinner, "approvals-loading").props.label).toBe("Loading proposals");
    answer.resolve({ approvals: [makeApproval()] });
    await waitFor(() => expect(maybeFind(LoadingSpinner)).toBeNull());
  });

  it("asks for the record's approvals with the signed identity in the query", async () => {
    const fake = tollgateWith(() => []);
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(EmptyState, "approvals-empty"));

    expect(fake.sent).toHaveLength(1);
    const [req] = fake.sent;
    expect(req!.method).toBe("GET");
    expect(req!.url.origin).toBe("https://tollgate.example.com");
    expect(req!.url.pathname).toBe(APPROVALS_PATH);
    expect(identityOf(req!.url)).toEqual(IDENTITY);
  });

  it("shows each pending proposal: values, confidence, source, reason, evidence, flags, time left, approvals", async () => {
    tollgateWith(() => [makeApproval({ riskFlags: ["exec_persona", "low_confidence_source"] })]);
    const { findByTestId, findAll, waitFor } = renderCard();
    await waitFor(() => findByTestId(Text, "values-ap_1"));

    expect(findByTestId(Text, "values-ap_1").text).toBe("Banking → Fintech");
    expect(findByTestId(Text, "meta-ap_1").text).toBe("Confidence 82% · source clearbit · by enrichment-bot");
    expect(findByTestId(Text, "reason-ap_1").text).toBe("Website and filings describe a payments platform");
    expect(findAll(Link).map((l) => [l.text, l.props.href])).toEqual([
      ["acme.test", { url: "https://acme.test/about", external: true }],
      ["10-K filing", { url: "https://sec.test/filing/1", external: true }],
    ]);
    expect(findByTestId(Tag, "risk-ap_1-exec_persona").text).toBe("exec_persona");
    expect(findByTestId(Tag, "risk-ap_1-low_confidence_source").props.variant).toBe("warning");
    // expiresAt is 26 h 30 min after NOW; one of two approvals given.
    expect(findByTestId(Text, "status-ap_1").text).toBe("1d 2h left · 1 of 2 approvals");
  });

  it("reads an empty current value and an expired proposal plainly", async () => {
    tollgateWith(() => [makeApproval({ currentValue: null, expiresAt: "2025-06-02T11:59:00.000Z", approvedBy: [], approvalsNeeded: 1 })]);
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Text, "values-ap_1"));

    expect(findByTestId(Text, "values-ap_1").text).toBe("(empty) → Fintech");
    expect(findByTestId(Text, "status-ap_1").text).toBe("expired · 0 of 1 approvals");
  });

  it("says no proposals are waiting, and lists the decided ones with their status below", async () => {
    tollgateWith(() => [
      makeApproval({ id: "ap_old", status: "rejected", rejectReason: "Not a bank", createdAt: "2025-05-01T09:00:00.000Z" }),
      makeApproval({ id: "ap_new", status: "applied", field: "jobtitle", createdAt: "2025-05-20T09:00:00.000Z" }),
    ]);
    const { findByTestId, findAll, maybeFindByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(EmptyState, "approvals-empty"));

    expect(findByTestId(EmptyState, "approvals-empty").props.title).toBe("No proposals waiting");
    expect(maybeFindByTestId(Button, "approve-selected")).toBeNull();
    expect(findAll(StatusTag).map((t) => t.text)).toEqual(["applied", "rejected"]);
    const old = findByTestId(Flex, "recent-ap_old").findAll(Text).map((t) => t.text).join(" | ");
    expect(old).toContain("Banking → Fintech");
    expect(old).toContain("“Not a bank”");
  });

  it("shows the error with a retry that loads again", async () => {
    let fail = true;
    const fake = fakeTollgate(() => {
      if (fail) throw new TollgateRequestError({ code: "unreachable", message: "Tollgate did not answer: timeout" }, 0);
      return { approvals: [makeApproval()] };
    });
    vi.mocked(fetchTollgate).mockImplementation(fake.impl as typeof fetchTollgate);
    const { find, findByTestId, maybeFind, waitFor } = renderCard();
    await waitFor(() => findByTestId(ErrorState, "approvals-error"));

    expect(find(ErrorState).find(Text).text).toBe("Tollgate did not answer: timeout");
    fail = false;
    findByTestId(Button, "approvals-retry").trigger("onClick");
    await waitFor(() => findByTestId(Text, "values-ap_1"));
    expect(maybeFind(ErrorState)).toBeNull();
    expect(fake.sent).toHaveLength(2);
  });
});

describe("approval card: deciding", () => {
  it("Approve sends the value the rep saw, follows the write until applied, then refreshes the record once", async () => {
    // Tollgate answers `approved` and queues the write; the list shows `approved`, then `applied`.
    const statuses: Approval["status"][] = ["pending", "approved", "applied"];
    let listed = 0;
    const fake = tollgateWith(
      () => [makeApproval({ status: statuses[Math.min(listed++, statuses.length - 1)] })],
      () => answered("approved", { status: "approved" }),
    );
    const { findByTestId, waitFor, refresh } = renderCard();
    await waitFor(() => findByTestId(Button, "approve-ap_1"));

    findByTestId(Button, "approve-ap_1").trigger("onClick");
    await waitFor(() => expect(findByTestId(Flex, "result-ap_1").find(Tag).text).toBe("applied"));

    const [post] = fake.posts();
    expect(post!.url.pathname).toBe("/v1/approvals/ap_1/approve");
    expect(identityOf(post!.url)).toEqual(IDENTITY);
    expect(post!.body).toEqual({ expected: { value: "Fintech" } });
    expect(findByTestId(Flex, "result-ap_1").find(Text).text).toBe("industry: Applied to the record");
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(findByTestId(EmptyState, "approvals-empty")).toBeDefined();
    await sleep(POLL_MS * 4);
    expect(gets(fake.sent)).toBe(3);
  });

  it("shows 'applying' while the write is on its way, without refreshing the record yet", async () => {
    const fake = tollgateWith(
      () => [makeApproval({ status: fake.posts().length > 0 ? "approved" : "pending" })],
      () => answered("approved", { status: "approved" }),
    );
    const { findByTestId, waitFor, refresh } = renderCard();
    await waitFor(() => findByTestId(Button, "approve-ap_1"));

    findByTestId(Button, "approve-ap_1").trigger("onClick");
    await waitFor(() => findByTestId(Flex, "result-ap_1"));
    expect(findByTestId(Flex, "result-ap_1").find(Tag).text).toBe("applying");
    expect(refresh).not.toHaveBeenCalled();

    // It gives up looking after a bounded number of reloads, and says so.
    await waitFor(() => expect(findByTestId(Flex, "result-ap_1").find(Text).text).toContain("still applying"), { timeoutInMs: 2000 });
    expect(gets(fake.sent)).toBe(12);
    expect(refresh).not.toHaveBeenCalled();
  });

  it("an approval that still needs another approver is recorded; nothing is refreshed or polled", async () => {
    const fake = tollgateWith(
      () => [makeApproval({ approvedBy: [] })],
      () => answered("partially_approved", { approvedBy: [{ id: "hubspot:user:4211", name: "rep@acme.test", at: NOW.toISOString() }] }),
    );
    const { findByTestId, waitFor, refresh } = renderCard();
    await waitFor(() => findByTestId(Button, "approve-ap_1"));

    findByTestId(Button, "approve-ap_1").trigger("onClick");
    await waitFor(() => findByTestId(Flex, "result-ap_1"));

    expect(findByTestId(Flex, "result-ap_1").find(Tag).text).toBe("recorded");
    expect(findByTestId(Flex, "result-ap_1").find(Text).text).toBe("industry: Your approval is recorded (1 of 2); another approver is needed");
    await sleep(POLL_MS * 4);
    expect(refresh).not.toHaveBeenCalled();
    expect(gets(fake.sent)).toBe(2);
  });

  it("a conflict Tollgate refuses shows its message and changes nothing on the record", async () => {
    tollgateWith(
      () => [makeApproval()],
      () => {
        throw new TollgateRequestError({ code: "conflict", message: 'the proposed value is "Fin-tech", not the "Fintech" you approved' }, 409);
      },
    );
    const { findByTestId, waitFor, refresh } = renderCard();
    await waitFor(() => findByTestId(Button, "approve-ap_1"));

    findByTestId(Button, "approve-ap_1").trigger("onClick");
    await waitFor(() => findByTestId(Flex, "result-ap_1"));

    expect(findByTestId(Flex, "result-ap_1").find(Tag).text).toBe("conflict");
    expect(findByTestId(Flex, "result-ap_1").find(Text).text).toBe('industry: the proposed value is "Fin-tech", not the "Fintech" you approved');
    expect(refresh).not.toHaveBeenCalled();
  });

  it("a write that meets a human edit after approval ends in conflict, and the record is not refreshed", async () => {
    const fake = tollgateWith(
      () => [makeApproval({ status: fake.posts().length > 0 ? "conflict" : "pending" })],
      () => answered("approved", { status: "approved" }),
    );
    const { findByTestId, waitFor, refresh } = renderCard();
    await waitFor(() => findByTestId(Button, "approve-ap_1"));

    findByTestId(Button, "approve-ap_1").trigger("onClick");
    await waitFor(() => expect(findByTestId(Flex, "result-ap_1").find(Tag).text).toBe("conflict"));

    expect(findByTestId(Flex, "result-ap_1").find(Text).text).toBe("industry: Not applied: the field changed before Tollgate could write it");
    expect(findByTestId(Flex, "recent-ap_1").find(StatusTag).text).toBe("conflict");
    expect(refresh).not.toHaveBeenCalled();
  });

  it("disables the decisions while one is on its way", async () => {
    const answer = deferred<unknown>();
    tollgateWith(
      () => [makeApproval()],
      () => answer.promise,
    );
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Button, "approve-ap_1"));

    findByTestId(Button, "approve-ap_1").trigger("onClick");
    await waitFor(() => expect(findByTestId(Button, "approve-ap_1").props.disabled).toBe(true));
    expect(findByTestId(Button, "reject-ap_1").props.disabled).toBe(true);
    expect(findByTestId(Checkbox, "select-ap_1").props.readOnly).toBe(true);
    answer.resolve(answered("partially_approved", {}));
    await waitFor(() => expect(findByTestId(Button, "approve-ap_1").props.disabled).toBe(false));
  });

  it("Reject refuses an empty reason without sending anything, then sends the reason", async () => {
    const fake = tollgateWith(
      () => [makeApproval()],
      () => answered("rejected", { status: "rejected", rejectReason: "Wrong industry" }),
    );
    const { findByTestId, maybeFindByTestId, waitFor, refresh } = renderCard();
    await waitFor(() => findByTestId(Button, "reject-ap_1"));

    findByTestId(Button, "reject-ap_1").trigger("onClick");
    findByTestId(Button, "reject-ap_1-confirm").trigger("onClick");
    await waitFor(() => expect(findByTestId(TextArea, "reject-ap_1-reason").props.error).toBe(true));
    expect(findByTestId(TextArea, "reject-ap_1-reason").props.validationMessage).toBe("Say why you reject it");

    triggerWith(findByTestId(TextArea, "reject-ap_1-reason"), "onChange", "   ");
    findByTestId(Button, "reject-ap_1-confirm").trigger("onClick");
    expect(fake.posts()).toHaveLength(0);

    triggerWith(findByTestId(TextArea, "reject-ap_1-reason"), "onChange", "  Wrong industry ");
    await waitFor(() => expect(findByTestId(TextArea, "reject-ap_1-reason").props.value).toBe("  Wrong industry "));
    findByTestId(Button, "reject-ap_1-confirm").trigger("onClick");
    await waitFor(() => findByTestId(Flex, "result-ap_1"));

    const [post] = fake.posts();
    expect(post!.url.pathname).toBe("/v1/approvals/ap_1/reject");
    expect(identityOf(post!.url)).toEqual(IDENTITY);
    expect(post!.body).toEqual({ reason: "Wrong industry" });
    expect(findByTestId(Flex, "result-ap_1").find(Tag).text).toBe("rejected");
    expect(maybeFindByTestId(TextArea, "reject-ap_1-reason")).toBeNull();
    expect(refresh).not.toHaveBeenCalled();
  });

  it("Cancel closes the reason input and sends nothing", async () => {
    const fake = tollgateWith(() => [makeApproval()]);
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Button, "reject-ap_1"));

    findByTestId(Button, "reject-ap_1").trigger("onClick");
    findByTestId(Button, "reject-ap_1-cancel").trigger("onClick");
    await waitFor(() => expect(maybeFindByTestId(TextArea, "reject-ap_1-reason")).toBeNull());
    expect(findByTestId(Button, "approve-ap_1")).toBeDefined();
    expect(fake.posts()).toHaveLength(0);
  });
});

describe("approval card: several at once", () => {
  const ap2 = (overrides: Partial<Approval> = {}) => makeApproval({ id: "ap_2", field: "name", currentValue: "Acme", proposedValue: "Acme Payments Inc", ...overrides });
  const two = () => [makeApproval(), ap2()];

  it("approves the selected ones in one batch, shows each result, and refreshes once the value is applied", async () => {
    const batch: BatchResponse = {
      results: [
        { id: "ap_1", ok: true, status: "approved", outcome: "approved", approval: makeApproval({ status: "approved" }) },
        { id: "ap_2", ok: false, status: "pending", error: { code: "conflict", message: "name changed since the proposal" } },
      ],
    };
    let decided = false;
    const fake = tollgateWith(
      () => (decided ? [makeApproval({ status: "applied" }), ap2()] : two()),
      () => {
        decided = true;
        return batch;
      },
    );
    const { findByTestId, waitFor, refresh } = renderCard();
    await waitFor(() => findByTestId(Checkbox, "select-ap_2"));
    expect(findByTestId(Button, "approve-selected").props.disabled).toBe(true);

    triggerWith(findByTestId(Checkbox, "select-ap_1"), "onChange", true);
    triggerWith(findByTestId(Checkbox, "select-ap_2"), "onChange", true);
    await waitFor(() => expect(findByTestId(Button, "approve-selected").props.disabled).toBe(false));
    expect(findByTestId(Button, "approve-selected").text).toBe("Approve selected (2)");
    findByTestId(Button, "approve-selected").trigger("onClick");
    await waitFor(() => expect(findByTestId(Flex, "result-ap_1").find(Tag).text).toBe("applied"));

    const [post] = fake.posts();
    expect(post!.url.pathname).toBe("/v1/approvals/batch");
    expect(identityOf(post!.url)).toEqual(IDENTITY);
    expect(post!.body).toEqual({
      items: [
        { id: "ap_1", decision: "approve", expected: { value: "Fintech" } },
        { id: "ap_2", decision: "approve", expected: { value: "Acme Payments Inc" } },
      ],
    });
    expect(findByTestId(Flex, "result-ap_2").find(Tag).text).toBe("conflict");
    expect(findByTestId(Flex, "result-ap_2").find(Text).text).toBe("name: name changed since the proposal");
    expect(refresh).toHaveBeenCalledTimes(1);
    // The selection is cleared once the batch is decided.
    expect(findByTestId(Checkbox, "select-ap_2").props.checked).toBe(false);
  });

  it("sends only what is still selected", async () => {
    const fake = tollgateWith(two, () => ({ results: [{ id: "ap_2", ok: true, status: "pending", outcome: "partially_approved", approval: ap2() }] }));
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Checkbox, "select-ap_2"));

    triggerWith(findByTestId(Checkbox, "select-ap_1"), "onChange", true);
    triggerWith(findByTestId(Checkbox, "select-ap_2"), "onChange", true);
    triggerWith(findByTestId(Checkbox, "select-ap_1"), "onChange", false);
    await waitFor(() => expect(findByTestId(Button, "approve-selected").text).toBe("Approve selected (1)"));
    findByTestId(Button, "approve-selected").trigger("onClick");
    await waitFor(() => findByTestId(Flex, "result-ap_2"));

    expect((fake.posts()[0]!.body as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual(["ap_2"]);
    expect(findByTestId(Flex, "result-ap_2").find(Tag).text).toBe("recorded");
  });

  it("Reject selected asks for one reason, refuses an empty one, then rejects them together", async () => {
    const fake = tollgateWith(two, () => ({
      results: [
        { id: "ap_1", ok: true, status: "rejected", outcome: "rejected", approval: makeApproval({ status: "rejected" }) },
        { id: "ap_2", ok: false, status: "pending", error: { code: "self_approval", message: "a proposal cannot be approved by the agent that proposed it" } },
      ],
    }));
    const { findByTestId, waitFor, refresh } = renderCard();
    await waitFor(() => findByTestId(Checkbox, "select-ap_2"));

    triggerWith(findByTestId(Checkbox, "select-ap_1"), "onChange", true);
    triggerWith(findByTestId(Checkbox, "select-ap_2"), "onChange", true);
    await waitFor(() => expect(findByTestId(Button, "reject-selected").props.disabled).toBe(false));
    findByTestId(Button, "reject-selected").trigger("onClick");
    findByTestId(Button, "reject-selected-confirm").trigger("onClick");
    await waitFor(() => expect(findByTestId(TextArea, "reject-selected-reason").props.error).toBe(true));
    expect(fake.posts()).toHaveLength(0);

    triggerWith(findByTestId(TextArea, "reject-selected-reason"), "onChange", "Duplicates of last week's proposals");
    await waitFor(() => expect(findByTestId(TextArea, "reject-selected-reason").props.error).toBe(false));
    findByTestId(Button, "reject-selected-confirm").trigger("onClick");
    await waitFor(() => findByTestId(Flex, "result-ap_2"));

    expect(fake.posts()[0]!.body).toEqual({
      items: [
        { id: "ap_1", decision: "reject", expected: { value: "Fintech" }, reason: "Duplicates of last week's proposals" },
        { id: "ap_2", decision: "reject", expected: { value: "Acme Payments Inc" }, reason: "Duplicates of last week's proposals" },
      ],
    });
    expect(findByTestId(Flex, "result-ap_1").find(Tag).text).toBe("rejected");
    expect(findByTestId(Flex, "result-ap_2").find(Tag).text).toBe("refused");
    expect(findByTestId(Flex, "result-ap_2").find(Text).text).toBe("name: a proposal cannot be approved by the agent that proposed it");
    expect(refresh).not.toHaveBeenCalled();
  });

  it("a batch Tollgate refuses as a whole marks every item refused with its message", async () => {
    tollgateWith(two, () => {
      throw new TollgateRequestError({ code: "validation_failed", message: "a batch holds 1 to 100 items, not 0" }, 400);
    });
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Checkbox, "select-ap_2"));

    triggerWith(findByTestId(Checkbox, "select-ap_1"), "onChange", true);
    triggerWith(findByTestId(Checkbox, "select-ap_2"), "onChange", true);
    await waitFor(() => expect(findByTestId(Button, "approve-selected").props.disabled).toBe(false));
    findByTestId(Button, "approve-selected").trigger("onClick");
    await waitFor(() => findByTestId(Flex, "result-ap_2"));

    for (const id of ["ap_1", "ap_2"]) {
      expect(findByTestId(Flex, `result-${id}`).find(Tag).text).toBe("refused");
      expect(findByTestId(Flex, `result-${id}`).find(Text).text).toContain("a batch holds 1 to 100 items");
    }
  });
});
