import { Button, Checkbox, Tile, Flex, Tag, Text, TextArea } from "@hubspot/ui-extensions";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fetchTollgate, TollgateRequestError } from "../lib/fetch-tollgate";
import type { Approval, BatchResponse } from "../lib/types";
import { IDENTITY, identityOf, renderCard, tollgateWith, triggerWith } from "./approval-harness";
import { makeApproval } from "./fixtures";

// hubspot.fetch is not mocked by @hubspot/ui-extensions/testing; the cards reach Tollgate only
// through fetchTollgate, so the tests stand in for Tollgate there. The error class stays real.
vi.mock("../lib/fetch-tollgate", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../lib/fetch-tollgate")>()),
  fetchTollgate: vi.fn(),
}));

beforeEach(() => {
  vi.mocked(fetchTollgate).mockReset();
});

describe("approval card: several at once", () => {
  const ap2 = (overrides: Partial<Approval> = {}) =>
    makeApproval({ id: "ap_2", field: "name", currentValue: "Acme", proposedValue: "Acme Payments Inc", ...overrides });
  const two = () => [makeApproval(), ap2()];

  it("approves the selected ones in one batch, shows each result, and refreshes once the value is applied", async () => {
    const batch: BatchResponse = {
      results: [
        {
          id: "ap_1",
          ok: true,
          status: "approved",
          outcome: "approved",
          approval: makeApproval({ status: "approved" }),
        },
        {
          id: "ap_2",
          ok: false,
          status: "pending",
          error: { code: "conflict", message: "name changed since the proposal" },
        },
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
    // Nothing is sent before the rep has read the manifest and confirmed it.
    await waitFor(() => findByTestId(Tile, "batch-confirm"));
    expect(fake.posts()).toHaveLength(0);
    expect(findByTestId(Text, "batch-item-ap_1").text).toBe("industry: Banking → Fintech");
    expect(findByTestId(Text, "batch-item-ap_2").text).toContain("→ Acme Payments Inc");
    findByTestId(Button, "approve-selected-confirm").trigger("onClick");
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
    await vi.waitFor(() => expect(refresh).toHaveBeenCalledTimes(1));
    // The selection is cleared once the batch is decided.
    expect(findByTestId(Checkbox, "select-ap_2").props.checked).toBe(false);
  });

  it("sends only what is still selected", async () => {
    const fake = tollgateWith(two, () => ({
      results: [{ id: "ap_2", ok: true, status: "pending", outcome: "partially_approved", approval: ap2() }],
    }));
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Checkbox, "select-ap_2"));

    triggerWith(findByTestId(Checkbox, "select-ap_1"), "onChange", true);
    triggerWith(findByTestId(Checkbox, "select-ap_2"), "onChange", true);
    triggerWith(findByTestId(Checkbox, "select-ap_1"), "onChange", false);
    await waitFor(() => expect(findByTestId(Button, "approve-selected").text).toBe("Approve selected (1)"));
    findByTestId(Button, "approve-selected").trigger("onClick");
    await waitFor(() => findByTestId(Button, "approve-selected-confirm"));
    findByTestId(Button, "approve-selected-confirm").trigger("onClick");
    await waitFor(() => findByTestId(Flex, "result-ap_2"));

    expect((fake.posts()[0]!.body as { items: { id: string }[] }).items.map((i) => i.id)).toEqual(["ap_2"]);
    expect(findByTestId(Flex, "result-ap_2").find(Tag).text).toBe("recorded");
  });

  it("Reject selected asks for one reason, refuses an empty one, then rejects them together", async () => {
    const fake = tollgateWith(two, () => ({
      results: [
        {
          id: "ap_1",
          ok: true,
          status: "rejected",
          outcome: "rejected",
          approval: makeApproval({ status: "rejected" }),
        },
        {
          id: "ap_2",
          ok: false,
          status: "pending",
          error: { code: "self_approval", message: "a proposal cannot be approved by the agent that proposed it" },
        },
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
        {
          id: "ap_1",
          decision: "reject",
          expected: { value: "Fintech" },
          reason: "Duplicates of last week's proposals",
        },
        {
          id: "ap_2",
          decision: "reject",
          expected: { value: "Acme Payments Inc" },
          reason: "Duplicates of last week's proposals",
        },
      ],
    });
    expect(findByTestId(Flex, "result-ap_1").find(Tag).text).toBe("rejected");
    expect(findByTestId(Flex, "result-ap_2").find(Tag).text).toBe("refused");
    expect(findByTestId(Flex, "result-ap_2").find(Text).text).toBe(
      "name: a proposal cannot be approved by the agent that proposed it",
    );
    expect(refresh).not.toHaveBeenCalled();
  });

  it("a batch Tollgate refuses as a whole marks every item refused with its message", async () => {
    tollgateWith(two, () => {
      throw new TollgateRequestError(
        { code: "validation_failed", message: "a batch holds 1 to 100 items, not 0" },
        400,
      );
    });
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Checkbox, "select-ap_2"));

    triggerWith(findByTestId(Checkbox, "select-ap_1"), "onChange", true);
    triggerWith(findByTestId(Checkbox, "select-ap_2"), "onChange", true);
    await waitFor(() => expect(findByTestId(Button, "approve-selected").props.disabled).toBe(false));
    findByTestId(Button, "approve-selected").trigger("onClick");
    await waitFor(() => findByTestId(Button, "approve-selected-confirm"));
    findByTestId(Button, "approve-selected-confirm").trigger("onClick");
    await waitFor(() => findByTestId(Flex, "result-ap_2"));

    for (const id of ["ap_1", "ap_2"]) {
      expect(findByTestId(Flex, `result-${id}`).find(Tag).text).toBe("refused");
      expect(findByTestId(Flex, `result-${id}`).find(Text).text).toContain("a batch holds 1 to 100 items");
    }
  });
});
