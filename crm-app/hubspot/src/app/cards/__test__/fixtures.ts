import type { CrmContext } from "@hubspot/ui-extensions";
import { vi } from "vitest";
import type { FetchTollgateInit } from "../lib/fetch-tollgate";
import type { Approval, ProvenanceChange } from "../lib/types";

/** The clock every card test runs at. */
export const NOW = new Date("2025-06-02T12:00:00.000Z");

/** Tollgate's URL as the uploaded profile sets it (`hsprofile.<name>.json` `TOLLGATE_URL`). */
export const TOLLGATE_TEST_URL = "https://tollgate.acme.test";

/** A company record, so the object type must be translated from its id (`0-2`). */
export function makeContext(): CrmContext {
  return {
    variables: { TOLLGATE_URL: TOLLGATE_TEST_URL },
    location: "crm.record.sidebar",
    user: {
      id: 4211,
      email: "rep@acme.test",
      emails: ["rep@acme.test"],
      firstName: "Rae",
      lastName: "Rep",
      roles: [],
      teams: [],
      permissions: [],
    },
    portal: { id: 62515, timezone: "Europe/Berlin" },
    crm: { objectId: 901, objectTypeId: "0-2" },
  };
}

export function makeApproval(overrides: Partial<Approval> = {}): Approval {
  return {
    id: "ap_1",
    status: "pending",
    objectType: "companies",
    objectId: "901",
    field: "industry",
    currentValue: "Banking",
    proposedValue: "Fintech",
    confidence: 0.82,
    source: "clearbit",
    reason: "Website and filings describe a payments platform",
    evidence: {
      sources: ["https://acme.test/about", { url: "https://sec.test/filing/1", title: "10-K filing" }],
      signals: ["payments"],
    },
    riskFlags: ["low_confidence_source"],
    approvalsNeeded: 2,
    approvedBy: [{ id: "77", name: "Ann Approver", at: "2025-06-02T10:00:00.000Z" }],
    expiresAt: "2025-06-03T14:30:00.000Z",
    createdAt: "2025-06-01T09:00:00.000Z",
    agentId: "enrichment-bot",
    rejectReason: null,
    ...overrides,
  };
}

export function makeChange(overrides: Partial<ProvenanceChange> = {}): ProvenanceChange {
  return {
    eventId: "evt_1",
    occurredAt: "2025-06-01T09:30:00.000Z",
    action: "field_write",
    actor: { type: "agent", id: "enrichment-bot", role: "enrichment" },
    field: "industry",
    before: "Banking",
    after: "Fintech",
    outcome: "allow",
    ruleId: "roles.enrichment.objects.company.fields.industry",
    policyVersion: "3f2a9c0d1e4b5a6978",
    approvedBy: [],
    approvalId: null,
    reason: "Website describes a payments platform",
    confidence: 0.91,
    source: "clearbit",
    evidence: { sources: ["https://acme.test/about"] },
    ...overrides,
  };
}

export interface SentRequest {
  url: URL;
  method: string;
  body: unknown;
}

/**
 * Stands in for Tollgate behind the mocked `fetchTollgate`: `handle` answers each request (or
 * throws, as the real module does for an error answer); `sent` records what the card sent.
 */
export function fakeTollgate(handle: (req: SentRequest) => unknown) {
  const sent: SentRequest[] = [];
  const impl = vi.fn(async (url: string, init: FetchTollgateInit) => {
    const req = { url: new URL(url), method: init.method, body: init.body };
    sent.push(req);
    return handle(req);
  });
  return { impl, sent, posts: () => sent.filter((r) => r.method === "POST") };
}

/** A promise plus its resolver, to hold a request open while a test looks at the card. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
