import { Button, Checkbox, Text, Tile } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fetchTollgate } from "../lib/fetch-tollgate";
import { ProvenanceCard } from "../provenance-card";
import { renderCard, tollgateWith, triggerWith } from "./approval-harness";
import { fakeTollgate, makeApproval, makeChange, makeContext } from "./fixtures";

// Cards name a field as the portal labels it (`Industry`), keeping the internal name beside it,
// and show the internal name alone when Tollgate sent no label.
vi.mock("../lib/fetch-tollgate", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../lib/fetch-tollgate")>()),
  fetchTollgate: vi.fn(),
}));

beforeEach(() => {
  vi.mocked(fetchTollgate).mockReset();
});

describe("field labels on the cards", () => {
  it("the approval card and its batch manifest show the label, with the internal name as secondary text", async () => {
    tollgateWith(() => [makeApproval({ fieldLabel: "Industry sector" })]);
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Text, "field-ap_1"));

    expect(findByTestId(Text, "field-ap_1").text).toBe("Industry sector");
    expect(findByTestId(Text, "field-ap_1-name").text).toBe(" (industry)");
    expect(findByTestId(Checkbox, "select-ap_1").props["aria-label"]).toBe("Select Industry sector");

    triggerWith(findByTestId(Checkbox, "select-ap_1"), "onChange", true);
    await waitFor(() => expect(findByTestId(Button, "approve-selected").props.disabled).toBe(false));
    findByTestId(Button, "approve-selected").trigger("onClick");
    await waitFor(() => findByTestId(Tile, "batch-confirm"));
    expect(findByTestId(Text, "batch-item-ap_1").text).toBe("Industry sector: Banking → Fintech");
  });

  it("the approval card falls back to the internal name when no label came", async () => {
    tollgateWith(() => [makeApproval()]);
    const { findByTestId, maybeFind, waitFor } = renderCard();
    await waitFor(() => findByTestId(Text, "field-ap_1"));

    expect(findByTestId(Text, "field-ap_1").text).toBe("industry");
    expect(maybeFind(Text, { testId: "field-ap_1-name" })).toBeNull();
  });

  it("the provenance card shows the label, and the name alone without one", async () => {
    const fake = fakeTollgate(() => ({
      changes: [
        makeChange({ eventId: "evt_1", fieldLabel: "Industry sector" }),
        makeChange({ eventId: "evt_2", fieldLabel: undefined }),
      ],
      nextCursor: null,
    }));
    vi.mocked(fetchTollgate).mockImplementation(fake.impl as typeof fetchTollgate);
    const renderer = createRenderer("crm.record.tab");
    renderer.render(<ProvenanceCard context={{ ...makeContext(), location: "crm.record.tab" }} />);
    await renderer.waitFor(() => renderer.findByTestId(Tile, "change-evt_2"));

    expect(renderer.findByTestId(Text, "field-evt_1").text).toBe("Industry sector");
    expect(renderer.findByTestId(Text, "field-evt_1-name").text).toBe(" (industry)");
    expect(renderer.findByTestId(Text, "field-evt_2").text).toBe("industry");
  });
});
