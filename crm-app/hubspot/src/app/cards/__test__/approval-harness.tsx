import { createRenderer } from "@hubspot/ui-extensions/testing";
import { vi } from "vitest";
import { ApprovalCard } from "../approval-card";
import { fetchTollgate } from "../lib/fetch-tollgate";
import type { Approval, ApprovalDecisionResponse, ApprovalOutcome } from "../lib/types";
import { fakeTollgate, makeApproval, makeContext, NOW, type SentRequest } from "./fixtures";

/**
 * Shared by the approval card's suites. Each suite mocks `../lib/fetch-tollgate` itself
 * (vi.mock is hoisted per file); the helpers here drive that mock.
 */

/** Tollgate applies an approved value through its write queue; the card looks again this often. */
export const POLL_MS = 5;
export const APPROVALS_PATH = "/v1/records/hubspot/companies/901/approvals";
/** What the card itself puts in a URL: the record only; HubSpot appends the viewer's identity. */
export const IDENTITY = { portalId: null, userId: null, userEmail: null, objectId: "901" };

/** Tollgate with a list of approvals; `decide` answers the POSTs. */
export function tollgateWith(list: () => Approval[], decide: (req: SentRequest) => unknown = () => ({})) {
  const fake = fakeTollgate((req) =>
    req.method === "GET" && req.url.pathname === APPROVALS_PATH ? { approvals: list() } : decide(req),
  );
  vi.mocked(fetchTollgate).mockImplementation(fake.impl as typeof fetchTollgate);
  return fake;
}

export function renderCard() {
  const renderer = createRenderer("crm.record.sidebar");
  const refresh = vi.fn();
  renderer.render(
    <ApprovalCard
      context={makeContext()}
      actions={{ refreshObjectProperties: refresh }}
      now={() => NOW}
      applyPollMs={POLL_MS}
    />,
  );
  return { ...renderer, refresh };
}

/** `trigger`'s argument is typed as the handler itself; the handlers here take plain values. */
export function triggerWith(node: { trigger: unknown }, event: string, value: unknown) {
  (node.trigger as (name: string, arg: unknown) => void)(event, value);
}

/** Tollgate's answer to approve / reject: the approval as it now stands, plus what the request did. */
export function answered(outcome: ApprovalOutcome, overrides: Partial<Approval>): ApprovalDecisionResponse {
  return { ...makeApproval(overrides), outcome };
}

export const gets = (sent: SentRequest[]) => sent.filter((r) => r.method === "GET").length;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function identityOf(url: URL) {
  return Object.fromEntries(["portalId", "userId", "userEmail", "objectId"].map((k) => [k, url.searchParams.get(k)]));
}
