import { createElement } from "@lwc/engine-dom";
import TollgateApprovalCard from "c/tollgateApprovalCard";
import LightningConfirm from "lightning/confirm";
import { notifyRecordUpdateAvailable } from "lightning/uiRecordApi";
import getApprovals from "@salesforce/apex/TollgateCardController.getApprovals";
import approve from "@salesforce/apex/TollgateCardController.approve";
import reject from "@salesforce/apex/TollgateCardController.reject";
import decideBatch from "@salesforce/apex/TollgateCardController.decideBatch";

jest.mock("@salesforce/apex/TollgateCardController.getApprovals", () => ({ default: jest.fn() }), { virtual: true });
jest.mock("@salesforce/apex/TollgateCardController.approve", () => ({ default: jest.fn() }), { virtual: true });
jest.mock("@salesforce/apex/TollgateCardController.reject", () => ({ default: jest.fn() }), { virtual: true });
jest.mock("@salesforce/apex/TollgateCardController.decideBatch", () => ({ default: jest.fn() }), { virtual: true });
jest.mock("lightning/confirm", () => ({ __esModule: true, default: { open: jest.fn() } }));

const RECORD_ID = "00Q5g00000AbCdEEAV";
const APPROVALS = require("./approvals.fixture.json");

/** Lets every pending promise (Apex calls, re-renders) settle. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount() {
  const element = createElement("c-tollgate-approval-card", { is: TollgateApprovalCard });
  element.recordId = RECORD_ID;
  element.objectApiName = "Lead";
  document.body.appendChild(element);
  await flush();
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const text = (element, selector) => $(element, selector).textContent.replace(/\s+/g, " ").trim();
const click = async (node) => {
  node.click();
  await flush();
  await flush();
};

describe("c-tollgate-approval-card", () => {
  beforeEach(() => {
    getApprovals.mockResolvedValue(JSON.stringify(APPROVALS));
  });

  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it("asks Apex for this record and shows each pending proposal: current vs proposed, confidence, source, reason, risk, evidence", async () => {
    const element = await mount();
    expect(getApprovals).toHaveBeenCalledWith({ recordId: RECORD_ID });
    const cards = $$(element, "article[data-approval]");
    expect(cards.map((c) => c.dataset.approval)).toEqual(["ap-1", "ap-2"]);
    const first = cards[0];
    expect(first.querySelector('[data-id="current"]').textContent).toBe("Banking");
    expect(first.querySelector('[data-id="proposed"]').textContent).toBe("Fintech");
    expect(first.querySelector('[data-id="confidence"]').textContent).toBe(
      "Confidence 82% · Source clearbit · Proposed by enrichment-bot",
    );
    expect(first.querySelector('[data-id="reason"]').textContent).toBe(
      "Company describes itself as a payments platform",
    );
    expect([...first.querySelectorAll("lightning-badge")].map((b) => b.label)).toEqual(["regulated_industry"]);
    expect(first.querySelector('[data-id="meta"]').textContent).toMatch(/^0 of 1 approvals · \d+d \d+h left$/);
    const second = cards[1];
    expect(second.querySelector('[data-id="current"]').textContent).toBe("(empty)");
    expect(second.querySelector('[data-id="confidence"]').textContent).toContain("Confidence —");
    expect(second.querySelector('[data-id="meta"]').textContent).toContain("1 of 2 approvals");
  });

  it("links only http(s) evidence, so a javascript: URL in a bundle never becomes a link", async () => {
    const element = await mount();
    const links = [...$(element, 'article[data-approval="ap-1"]').querySelectorAll("a")];
    expect(links.map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
      ["About Northwind", "https://northwind.example/about"],
    ]);
    expect(links[0].getAttribute("rel")).toBe("noopener noreferrer");
    expect($(element, 'article[data-approval="ap-1"] [data-id="evidence-summary"]').textContent).toBe(
      '{"signals":["payments"]}',
    );
  });

  it("lists decided proposals apart, with the rejection reason", async () => {
    const element = await mount();
    expect(text(element, '[data-id="decided"]')).toMatch(
      /^City: Lyon — rejected \(stale list\), 2026-11-30 08:00 UTC$/,
    );
  });

  it("approves exactly the value shown, then refreshes the record and the list", async () => {
    approve.mockResolvedValue(JSON.stringify({ ...APPROVALS.approvals[0], status: "approved", outcome: "approved" }));
    const element = await mount();
    await click($(element, '[data-id="approve"][data-approval-id="ap-1"]'));
    expect(approve).toHaveBeenCalledWith({ approvalId: "ap-1", expectedValue: "Fintech" });
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: RECORD_ID }]);
    expect(getApprovals).toHaveBeenCalledTimes(2);
    const result = $(element, '[data-id="results"] li');
    expect(result.dataset.outcome).toBe("applying");
    expect(result.textContent).toBe("Industry: approved; Tollgate is applying it");
  });

  it("says when one approval of two is recorded, and doesn't tell the record to refresh", async () => {
    approve.mockResolvedValue(JSON.stringify({ ...APPROVALS.approvals[1], outcome: "partially_approved" }));
    const element = await mount();
    await click($(element, '[data-id="approve"][data-approval-id="ap-2"]'));
    expect($(element, '[data-id="results"] li').dataset.outcome).toBe("recorded");
    expect(text(element, '[data-id="results"] li')).toBe(
      "Email: your approval is recorded (1 of 2); another approver is needed",
    );
    expect(notifyRecordUpdateAvailable).not.toHaveBeenCalled();
  });

  it("shows Tollgate's refusal as the result, and a failed list load as an error with a retry", async () => {
    approve.mockRejectedValue({ body: { message: "The proposal changed since you saw it (approval_mismatch)" } });
    const element = await mount();
    await click($(element, '[data-id="approve"][data-approval-id="ap-1"]'));
    const result = $(element, '[data-id="results"] li');
    expect(result.dataset.outcome).toBe("refused");
    expect(result.textContent).toBe("Industry: The proposal changed since you saw it (approval_mismatch)");

    getApprovals.mockRejectedValueOnce({ body: { message: "Tollgate is not connected" } });
    await click($(element, '[data-id="refresh"]'));
    expect(text(element, '[data-id="error"]')).toBe("Tollgate is not connected");
    await click($(element, '[data-id="retry"]'));
    expect($$(element, "article[data-approval]")).toHaveLength(2);
  });

  it("rejects only with a reason: the confirm button stays disabled until one is typed", async () => {
    reject.mockResolvedValue(JSON.stringify({ ...APPROVALS.approvals[0], status: "rejected", outcome: "rejected" }));
    const element = await mount();
    await click($(element, '[data-id="reject"][data-approval-id="ap-1"]'));
    const confirm = () => $(element, '[data-id="confirm-reject"]');
    expect(confirm().disabled).toBe(true);
    const input = $(element, '[data-id="reason-input"]');
    input.value = "   ";
    input.dispatchEvent(new CustomEvent("change", { detail: { value: "   " } }));
    await flush();
    expect(confirm().disabled).toBe(true);
    input.dispatchEvent(new CustomEvent("change", { detail: { value: " wrong company " } }));
    await flush();
    expect(confirm().disabled).toBe(false);
    await click(confirm());
    expect(reject).toHaveBeenCalledWith({ approvalId: "ap-1", reason: "wrong company" });
    expect($(element, '[data-id="results"] li').dataset.outcome).toBe("rejected");
  });

  it("approves the ticked proposals in one batch, only after the user confirms", async () => {
    decideBatch.mockResolvedValue(
      JSON.stringify({
        results: [
          { id: "ap-1", ok: true, status: "applied", outcome: "approved" },
          {
            id: "ap-2",
            ok: false,
            status: "pending",
            error: { code: "not_an_approver", message: "You are not an approver" },
          },
        ],
      }),
    );
    const element = await mount();
    const batch = () => $(element, '[data-id="approve-selected"]');
    expect(batch().disabled).toBe(true);
    for (const id of ["ap-1", "ap-2"]) {
      const box = $(element, `[data-id="select"][data-approval-id="${id}"]`);
      box.checked = true;
      box.dispatchEvent(new CustomEvent("change"));
      await flush();
    }
    expect(batch().label).toBe("Approve selected (2)");

    LightningConfirm.open.mockResolvedValueOnce(false);
    await click(batch());
    expect(LightningConfirm.open).toHaveBeenCalledWith(
      expect.objectContaining({ message: "Approve 2 proposals: Industry → Fintech, Email → ada@northwind.example?" }),
    );
    expect(decideBatch).not.toHaveBeenCalled();

    LightningConfirm.open.mockResolvedValueOnce(true);
    await click(batch());
    expect(JSON.parse(decideBatch.mock.calls[0][0].itemsJson)).toEqual([
      { id: "ap-1", decision: "approve", expected: { value: "Fintech" } },
      { id: "ap-2", decision: "approve", expected: { value: "ada@northwind.example" } },
    ]);
    expect($$(element, '[data-id="results"] li').map((li) => [li.dataset.outcome, li.textContent])).toEqual([
      ["applied", "Industry: applied to the record"],
      ["refused", "Email: You are not an approver"],
    ]);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledTimes(1);
  });

  it("says so when nothing waits", async () => {
    getApprovals.mockResolvedValue(JSON.stringify({ approvals: [] }));
    const element = await mount();
    expect(text(element, '[data-id="empty"]')).toBe("No proposals waiting");
    expect($(element, '[data-id="approve-selected"]')).toBeNull();
  });
});
