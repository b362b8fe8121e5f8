import { createElement } from "@lwc/engine-dom";
import TollgateProvenanceCard from "c/tollgateProvenanceCard";
import getProvenance from "@salesforce/apex/TollgateCardController.getProvenance";

jest.mock("@salesforce/apex/TollgateCardController.getProvenance", () => ({ default: jest.fn() }), { virtual: true });

const RECORD_ID = "0015g00000QwErTAAZ";

const change = (overrides) => ({
  eventId: "ev-1",
  occurredAt: "2026-12-01T09:15:00.000Z",
  action: "field_write",
  actor: { type: "agent", id: "enrichment-bot", role: "enrichment" },
  field: "Industry",
  before: "Banking",
  after: "Fintech",
  outcome: "allow",
  ruleId: "enrichment.account.fields.Industry",
  policyVersion: "bffedf0fbb330af8223f789abf04b4920fc8725f",
  approvedBy: [],
  approvalId: null,
  reason: "Payments platform per company site",
  confidence: 0.93,
  source: "clearbit",
  evidence: JSON.stringify({
    sources: ["https://northwind.example/about", "data:text/html,<b>x</b>"],
    facts: { vertical: "payments" },
  }),
  ...overrides,
});

const PAGE_ONE = {
  changes: [
    change({}),
    change({
      eventId: "ev-2",
      action: "apply",
      actor: { type: "system", id: "tollgate", role: null },
      field: "Email",
      before: null,
      after: "ada@northwind.example",
      outcome: "applied",
      approvedBy: ["Olive"],
      reason: null,
      confidence: null,
      source: null,
      evidence: null,
    }),
  ],
  nextCursor: "eyJzZXEiOjQyfQ==",
};
const PAGE_TWO = {
  changes: [
    change({ eventId: "ev-3", actor: { type: "human", id: "0055g00000B1c2DAAR", role: null }, outcome: "observed" }),
  ],
  nextCursor: null,
};

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const text = (node) => node.textContent.replace(/\s+/g, " ").trim();

async function mount() {
  const element = createElement("c-tollgate-provenance-card", { is: TollgateProvenanceCard });
  element.recordId = RECORD_ID;
  document.body.appendChild(element);
  await flush();
  return element;
}

describe("c-tollgate-provenance-card", () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it("shows who changed what, when, before → after, the decision and its rule, why and on what evidence", async () => {
    getProvenance.mockResolvedValue(JSON.stringify(PAGE_ONE));
    const element = await mount();
    expect(getProvenance).toHaveBeenCalledWith({ recordId: RECORD_ID, pageSize: 10, cursor: "" });
    const [first, second] = $$(element, "article[data-event]");
    expect(text(first.querySelector('[data-id="who"]'))).toBe("Agent enrichment-bot (enrichment)");
    expect(text(first.querySelector('[data-id="what"]'))).toBe("field write · Industry · 2026-12-01 09:15 UTC");
    expect(text(first.querySelector('[data-id="values"]'))).toBe("Banking → Fintech");
    expect(text(first.querySelector('[data-id="decision"]'))).toBe(
      "allowed · rule enrichment.account.fields.Industry · policy bffedf0fbb33",
    );
    expect(text(first.querySelector('[data-id="why"]'))).toBe(
      "Payments platform per company site · confidence 93% · source clearbit",
    );
    expect([...first.querySelectorAll("a")].map((a) => a.getAttribute("href"))).toEqual([
      "https://northwind.example/about",
    ]);
    expect(text(first.querySelector('[data-id="evidence-summary"]'))).toBe('{"facts":{"vertical":"payments"}}');
    expect(text(first.querySelector('[data-id="event"]'))).toBe("Audit event ev-1");

    expect(text(second.querySelector('[data-id="who"]'))).toBe("System tollgate");
    expect(text(second.querySelector('[data-id="values"]'))).toBe("(empty) → ada@northwind.example");
    expect(text(second.querySelector('[data-id="approved-by"]'))).toBe("Approved by Olive");
  });

  it("pages with the cursor Tollgate gave, and back", async () => {
    getProvenance.mockResolvedValueOnce(JSON.stringify(PAGE_ONE)).mockResolvedValueOnce(JSON.stringify(PAGE_TWO));
    const element = await mount();
    expect($(element, '[data-id="previous"]').disabled).toBe(true);
    expect($(element, '[data-id="next"]').disabled).toBe(false);
    $(element, '[data-id="next"]').click();
    await flush();
    expect(getProvenance).toHaveBeenLastCalledWith({ recordId: RECORD_ID, pageSize: 10, cursor: "eyJzZXEiOjQyfQ==" });
    expect($$(element, "article[data-event]").map((a) => a.dataset.event)).toEqual(["ev-3"]);
    expect(text($(element, '[data-id="who"]'))).toBe("Person 0055g00000B1c2DAAR");
    expect($(element, '[data-id="next"]').disabled).toBe(true);

    getProvenance.mockResolvedValueOnce(JSON.stringify(PAGE_ONE));
    $(element, '[data-id="previous"]').click();
    await flush();
    expect(getProvenance).toHaveBeenLastCalledWith({ recordId: RECORD_ID, pageSize: 10, cursor: "" });
    expect($(element, '[data-id="previous"]').disabled).toBe(true);
  });

  it("shows an error with a retry, and an empty state", async () => {
    getProvenance.mockRejectedValueOnce({ body: { message: "Tollgate could not be reached: timeout" } });
    const element = await mount();
    expect(text($(element, '[data-id="error"]'))).toBe("Tollgate could not be reached: timeout");
    getProvenance.mockResolvedValueOnce(JSON.stringify({ changes: [], nextCursor: null }));
    $(element, '[data-id="retry"]').click();
    await flush();
    expect(text($(element, '[data-id="empty"]'))).toBe("No governed changes on this record yet");
  });
});
