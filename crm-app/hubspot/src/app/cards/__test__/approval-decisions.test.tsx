import { Button, Checkbox, EmptyState, Flex, StatusTag, Tag, Text, TextArea } from "@hubspot/ui-extensions";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fetchTollgate, TollgateRequestError } from "../lib/fetch-tollgate";
import type { Approval } from "../lib/types";
import {
  answered,
  gets,
  IDENTITY,
  identityOf,
  POLL_MS,
  renderCard,
  sleep,
  tollgateWith,
  triggerWith,
} from "./approval-harness";
import { deferred, makeApproval, NOW } from "./fixtures";

// hubspot.fetch is not mocked by @hubspot/ui-extensions/testing; the cards reach Tollgate only
// through fetchTollgate, so the tests stand in for Tollgate there. The error class stays real.
vi.mock("../lib/fetch-tollgate", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../lib/fetch-tollgate")>()),
  fetchTollgate: vi.fn(),
}));

beforeEach(() => {
  vi.mocked(fetchTollgate).mockReset();
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
    await vi.waitFor(() => expect(refresh).toHaveBeenCalledTimes(1));
    expect(findByTestId(EmptyState, "approvals-empty")).toBeDefined();
    await sleep(POLL_MS * 4);
    expect(gets(fake.sent)).toBe(3);
    expect(refresh).toHaveBeenCalledTimes(1);
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
    await waitFor(() => expect(findByTestId(Flex, "result-ap_1").find(Text).text).toContain("still applying"), {
      timeoutInMs: 2000,
    });
    expect(gets(fake.sent)).toBe(12);
    expect(refresh).not.toHaveBeenCalled();
  });

  it("an approval that still needs another approver is recorded; nothing is refreshed or polled", async () => {
    const fake = tollgateWith(
      () => [makeApproval({ approvedBy: [] })],
      () =>
        answered("partially_approved", {
          approvedBy: [{ id: "hubspot:user:4211", name: "rep@acme.test", at: NOW.toISOString() }],
        }),
    );
    const { findByTestId, waitFor, refresh } = renderCard();
    await waitFor(() => findByTestId(Button, "approve-ap_1"));

    findByTestId(Button, "approve-ap_1").trigger("onClick");
    await waitFor(() => findByTestId(Flex, "result-ap_1"));

    expect(findByTestId(Flex, "result-ap_1").find(Tag).text).toBe("recorded");
    expect(findByTestId(Flex, "result-ap_1").find(Text).text).toBe(
      "industry: Your approval is recorded (1 of 2); another approver is needed",
    );
    await sleep(POLL_MS * 4);
    expect(refresh).not.toHaveBeenCalled();
    expect(gets(fake.sent)).toBe(2);
  });

  it("a conflict Tollgate refuses shows its message and changes nothing on the record", async () => {
    tollgateWith(
      () => [makeApproval()],
      () => {
        throw new TollgateRequestError(
          { code: "conflict", message: 'the proposed value is "Fin-tech", not the "Fintech" you approved' },
          409,
        );
      },
    );
    const { findByTestId, waitFor, refresh } = renderCard();
    await waitFor(() => findByTestId(Button, "approve-ap_1"));

    findByTestId(Button, "approve-ap_1").trigger("onClick");
    await waitFor(() => findByTestId(Flex, "result-ap_1"));

    expect(findByTestId(Flex, "result-ap_1").find(Tag).text).toBe("conflict");
    expect(findByTestId(Flex, "result-ap_1").find(Text).text).toBe(
      'industry: the proposed value is "Fin-tech", not the "Fintech" you approved',
    );
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

    expect(findByTestId(Flex, "result-ap_1").find(Text).text).toBe(
      "industry: Not applied: the field changed before Tollgate could write it",
    );
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
