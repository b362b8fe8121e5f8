import {
  Button,
  Checkbox,
  EmptyState,
  ErrorState,
  Flex,
  Link,
  LoadingSpinner,
  StatusTag,
  Tag,
  Text,
} from "@hubspot/ui-extensions";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fetchTollgate, TollgateRequestError } from "../lib/fetch-tollgate";
import { APPROVALS_PATH, IDENTITY, identityOf, renderCard, tollgateWith } from "./approval-harness";
import { deferred, fakeTollgate, makeApproval } from "./fixtures";
import { TOLLGATE_TEST_URL } from "./fixtures";

// hubspot.fetch is not mocked by @hubspot/ui-extensions/testing; the cards reach Tollgate only
// through fetchTollgate, so the tests stand in for Tollgate there. The error class stays real.
vi.mock("../lib/fetch-tollgate", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../lib/fetch-tollgate")>()),
  fetchTollgate: vi.fn(),
}));

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
    expect(req!.url.origin).toBe(TOLLGATE_TEST_URL);
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
    expect(findByTestId(Tag, "risk-ap_1-exec_persona").text).toBe("Executive contact");
    expect(findByTestId(Tag, "risk-ap_1-low_confidence_source").text).toBe("Low-confidence source");
    expect(findByTestId(Tag, "risk-ap_1-low_confidence_source").props.variant).toBe("warning");
    // expiresAt is 26 h 30 min after NOW; one of two approvals given.
    expect(findByTestId(Text, "status-ap_1").text).toBe("1d 2h left · 1 of 2 approvals");
  });

  it("reads an empty current value and an expired proposal plainly", async () => {
    tollgateWith(() => [
      makeApproval({ currentValue: null, expiresAt: "2025-06-02T11:59:00.000Z", approvedBy: [], approvalsNeeded: 1 }),
    ]);
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Text, "values-ap_1"));

    expect(findByTestId(Text, "values-ap_1").text).toBe("(empty) → Fintech");
    expect(findByTestId(Text, "status-ap_1").text).toBe("expired · 0 of 1 approvals");
  });

  it("offers no Approve on an expired proposal and says why; it cannot be ticked for a batch", async () => {
    const fake = tollgateWith(() => [makeApproval({ expiresAt: "2025-06-02T11:59:00.000Z" })]);
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Text, "expired-ap_1"));

    expect(findByTestId(Text, "expired-ap_1").text).toContain("can no longer be approved");
    expect(maybeFindByTestId(Button, "approve-ap_1")).toBeNull();
    expect(findByTestId(Checkbox, "select-ap_1").props.readOnly).toBe(true);
    expect(findByTestId(Button, "approve-selected").props.disabled).toBe(true);
    expect(fake.posts()).toHaveLength(0);
  });

  it("pages the Recent list five at a time, dates in the portal's time zone", async () => {
    const decided = Array.from({ length: 7 }, (_, i) =>
      makeApproval({ id: `ap_${i}`, status: "applied", createdAt: `2025-05-0${i + 1}T09:00:00.000Z` }),
    );
    tollgateWith(() => decided);
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Flex, "recent-approvals"));

    expect(findByTestId(Text, "recent-page").text).toBe("Page 1 of 2");
    expect(maybeFindByTestId(Flex, "recent-ap_6")).not.toBeNull();
    expect(maybeFindByTestId(Flex, "recent-ap_1")).toBeNull();
    // makeContext's portal is in Europe/Berlin: 09:00 UTC reads as 11:00 there.
    expect(
      findByTestId(Flex, "recent-ap_6")
        .findAll(Text)
        .map((t) => t.text)
        .join(" "),
    ).toMatch(/May 7, 2025, 11:00\sAM GMT\+2/);
    findByTestId(Button, "recent-next").trigger("onClick");
    await waitFor(() => expect(findByTestId(Text, "recent-page").text).toBe("Page 2 of 2"));
    expect(maybeFindByTestId(Flex, "recent-ap_0")).not.toBeNull();
    expect(findByTestId(Button, "recent-next").props.disabled).toBe(true);
  });

  it("says no proposals are waiting, and lists the decided ones with their status below", async () => {
    tollgateWith(() => [
      makeApproval({
        id: "ap_old",
        status: "rejected",
        rejectReason: "Not a bank",
        createdAt: "2025-05-01T09:00:00.000Z",
      }),
      makeApproval({ id: "ap_new", status: "applied", field: "jobtitle", createdAt: "2025-05-20T09:00:00.000Z" }),
    ]);
    const { findByTestId, findAll, maybeFindByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(EmptyState, "approvals-empty"));

    expect(findByTestId(EmptyState, "approvals-empty").props.title).toBe("No proposals waiting");
    expect(maybeFindByTestId(Button, "approve-selected")).toBeNull();
    expect(findAll(StatusTag).map((t) => t.text)).toEqual(["applied", "rejected"]);
    const old = findByTestId(Flex, "recent-ap_old")
      .findAll(Text)
      .map((t) => t.text)
      .join(" | ");
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
