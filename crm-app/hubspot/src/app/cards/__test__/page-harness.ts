import { hubspot, type BaseContext } from "@hubspot/ui-extensions";
import { vi } from "vitest";
import { TOLLGATE_TEST_URL } from "./fixtures";

/**
 * The app's pages are tested through the real `fetchTollgate` against a stand-in for
 * `hubspot.fetch` itself, so each of Tollgate's answers reaches a page in the shape it would:
 * straight (`status`, Tollgate's body), or wrapped by HubSpot's proxy (HTTP 200,
 * `{status: "error", category: "BAD_GATEWAY", responseBody, context: {appServerStatusCode}}`).
 */
export interface PageRequest {
  url: URL;
  method: string;
  body: unknown;
}

export interface Answer {
  status: number;
  body: unknown;
}

export function makePageContext(): BaseContext {
  return {
    variables: { TOLLGATE_URL: TOLLGATE_TEST_URL },
    user: {
      id: 4211,
      email: "rita@acme.test",
      emails: ["rita@acme.test"],
      firstName: "Rita",
      lastName: "RevOps",
      roles: [],
      teams: [],
      permissions: [],
      locale: "en-US",
    },
    portal: { id: 62515, timezone: "Europe/Berlin" },
  };
}

/** How an error answer travels: as Tollgate sent it, or through HubSpot's proxy. */
export type Shape = "direct" | "proxied";

export function wire(answer: Answer, shape: Shape) {
  const ok = answer.status >= 200 && answer.status < 300;
  const payload =
    shape === "direct" || ok
      ? answer.body
      : {
          status: "error",
          message: "Request to app server failed",
          category: "BAD_GATEWAY",
          responseBody: answer.body,
          context: { appServerStatusCode: [String(answer.status)] },
        };
  const status = shape === "proxied" ? 200 : answer.status;
  return { ok: status >= 200 && status < 300, status, json: () => Promise.resolve(payload) } as unknown as Response;
}

/** Answers each `hubspot.fetch` with `handle`; records what the page sent. */
export function fakeHubSpotFetch(handle: (req: PageRequest) => Answer, shape: Shape = "direct") {
  const sent: PageRequest[] = [];
  vi.spyOn(hubspot, "fetch").mockImplementation(async (url, init) => {
    const req = { url: new URL(String(url)), method: init?.method ?? "GET", body: init?.body };
    sent.push(req);
    return wire(handle(req), shape);
  });
  return sent;
}

export const ok = (body: unknown): Answer => ({ status: 200, body });
export const refused = (status: number, code: string, message: string): Answer => ({
  status,
  body: { error: { code, message } },
});

/** `trigger`'s argument is typed as the handler itself; the handlers here take plain values. */
export function triggerWith(node: { trigger: unknown }, event: string, value?: unknown) {
  (node.trigger as (name: string, arg: unknown) => void)(event, value);
}
