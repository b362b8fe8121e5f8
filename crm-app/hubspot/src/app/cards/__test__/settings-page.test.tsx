import { Button, ErrorState, Flex, LoadingSpinner, ProgressBar, Tag, Text, TextArea } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SettingsView } from "../lib/types";
import { SettingsPage } from "../pages/settings-page";
import { fakeHubSpotFetch, makePageContext, ok, refused, triggerWith, type Shape } from "./page-harness";

afterEach(() => {
  vi.restoreAllMocks();
});

function makeSettings(overrides: Partial<SettingsView> = {}): SettingsView {
  return {
    tenantId: "62515",
    you: { role: "revops_admin", mayPullTenant: true, mayPullScoped: true },
    killSwitches: [],
    scopes: { agents: ["enrichment-bot", "outreach-bot"], roles: ["enrichment"] },
    policy: {
      version: "3f2a9c0d",
      updatedAt: "2025-06-01T09:00:00.000Z",
      updatedBy: "olga@acme.test",
      changes: [
        {
          at: "2025-06-01T09:00:00.000Z",
          by: "olga@acme.test",
          version: "3f2a9c0d",
          summary: "contact.jobtitle: tier 3",
        },
      ],
    },
    reverts: [
      {
        at: "2025-06-02T08:00:00.000Z",
        objectType: "contacts",
        objectId: "101",
        summary: 'email: "x@y" → "a@b"',
        agentId: "enrichment-bot",
      },
    ],
    exceptions: [
      {
        id: "ex_1",
        kind: "approval_bypass",
        state: "open",
        owner: "rita@acme.test",
        objectType: "contacts",
        objectId: "101",
        reviewDueAt: "2025-06-02T10:00:00.000Z",
        remediateDueAt: "2025-06-03T10:00:00.000Z",
        overdue: true,
      },
    ],
    setup: {
      state: "baselining",
      reason: "policy_change",
      startedAt: "2025-06-02T11:00:00.000Z",
      finishedAt: null,
      created: 2,
      objects: [{ objectType: "contacts", records: 1200, values: 8400, calls: 12 }],
      subscriptionsToUpload: ["contact.jobtitle"],
      error: null,
    },
    ...overrides,
  };
}

const tenantOn = {
  scope: { type: "tenant", value: null },
  state: "on",
  reason: "runaway enrichment",
  who: { type: "human", id: "rita@acme.test", role: "revops_admin", via: "hubspot_card" },
  when: "2025-06-02T11:30:00.000Z",
} as const;

function renderSettings() {
  const renderer = createRenderer("settings");
  renderer.render(<SettingsPage context={makePageContext()} />);
  return renderer;
}

describe("the app's settings page (RevOps)", () => {
  it("shows a spinner, then the role, policy and its changes, reverts, exceptions with owner and SLA, and setup progress", async () => {
    const sent = fakeHubSpotFetch(() => ok(makeSettings()));
    const { find, findByTestId, maybeFind, waitFor } = renderSettings();
    expect(find(LoadingSpinner).props.label).toBe("Loading Tollgate settings");
    await waitFor(() => findByTestId(Text, "settings-role"));

    expect(maybeFind(LoadingSpinner)).toBeNull();
    expect(sent[0]!.url.pathname).toBe("/v1/settings");
    expect(findByTestId(Text, "settings-role").text).toBe("You are signed in as RevOps admin for portal 62515.");
    expect(findByTestId(Text, "kill-switches-none").text).toContain("No kill switch is on");
    expect(findByTestId(Text, "policy-version").text).toBe("3f2a9c0d");
    expect(findByTestId(Text, "policy-change").text).toContain("olga@acme.test · 3f2a9c0d: contact.jobtitle: tier 3");
    expect(findByTestId(Text, "revert").text).toContain("contacts 101 · enrichment-bot");
    // Times in the portal's time zone (Europe/Berlin) and the user's locale.
    expect(findByTestId(Text, "revert").text).toContain("Jun 2, 2025, 10:00 AM");
    expect(find(Tag).text).toBe("overdue");
    expect(findByTestId(Flex, "exception-ex_1").find(Text).text).toBe(
      "approval bypass · owner rita@acme.test · review by Jun 2, 2025, 12:00 PM GMT+2 · fix by Jun 3, 2025, 12:00 PM GMT+2",
    );
    expect(findByTestId(ProgressBar, "setup-progress").props.value).toBe(1);
    expect(findByTestId(Text, "setup-contacts").text).toBe("contacts: 1200 records, 8400 values, 12 calls");
    expect(findByTestId(Text, "setup-subscriptions").text).toContain("npm run hubspot:webhooks");
  });

  it("pulls the tenant switch with a reason, then shows it on", async () => {
    let switches: SettingsView["killSwitches"] = [];
    const sent = fakeHubSpotFetch((req) => {
      if (req.method === "PUT") {
        switches = [tenantOn];
        return ok(tenantOn);
      }
      return ok(makeSettings({ killSwitches: switches }));
    });
    const { findByTestId, waitFor } = renderSettings();
    await waitFor(() => findByTestId(Button, "stop-all"));
    findByTestId(Button, "stop-all").trigger("onClick");
    // No reason, no request.
    findByTestId(Button, "kill-switch-confirm").trigger("onClick");
    expect(sent.filter((r) => r.method === "PUT")).toHaveLength(0);
    triggerWith(findByTestId(TextArea, "kill-switch-reason"), "onChange", "runaway enrichment");
    findByTestId(Button, "kill-switch-confirm").trigger("onClick");

    await waitFor(() => findByTestId(Text, "kill-switch-outcome"));
    const put = sent.find((r) => r.method === "PUT")!;
    expect(put.url.pathname).toBe("/v1/kill-switches");
    expect(put.body).toEqual({ scope: { type: "tenant" }, state: "on", reason: "runaway enrichment" });
    expect(findByTestId(Text, "kill-switch-outcome").text).toBe("Stopped: every agent in this portal");
    await waitFor(() => findByTestId(Button, "lift-tenant"));
  });

  it.each<Shape>(["direct", "proxied"])(
    "a lift the role rules refuse (%s) says why, and the switch stays on",
    async (shape) => {
      fakeHubSpotFetch(
        (req) =>
          req.method === "PUT"
            ? refused(403, "kill_switch_forbidden", "only an owner may lift the tenant kill switch")
            : ok(makeSettings({ killSwitches: [tenantOn] })),
        shape,
      );
      const { findByTestId, waitFor } = renderSettings();
      await waitFor(() => findByTestId(Button, "lift-tenant"));
      findByTestId(Button, "lift-tenant").trigger("onClick");
      triggerWith(findByTestId(TextArea, "kill-switch-reason"), "onChange", "false alarm");
      findByTestId(Button, "kill-switch-confirm").trigger("onClick");
      await waitFor(() => findByTestId(Text, "kill-switch-outcome"));
      expect(findByTestId(Text, "kill-switch-outcome").text).toBe(
        "Refused: only an owner may lift the tenant kill switch",
      );
      expect(findByTestId(Button, "kill-switch-confirm")).toBeDefined();
    },
  );

  it("an approver sees the switches but no control, and is told whom to ask", async () => {
    fakeHubSpotFetch(() => ok(makeSettings({ you: { role: "approver", mayPullTenant: false, mayPullScoped: false } })));
    const { findByTestId, maybeFind, waitFor } = renderSettings();
    await waitFor(() => findByTestId(Text, "kill-switch-role"));
    expect(maybeFind(Button, { testId: "stop-all" })).toBeNull();
    expect(maybeFind(Button, { testId: "stop-agent" })).toBeNull();
    expect(findByTestId(Text, "kill-switch-role").text).toContain("ask a RevOps admin");
  });

  it("stops one agent", async () => {
    const sent = fakeHubSpotFetch((req) => (req.method === "PUT" ? ok(tenantOn) : ok(makeSettings())));
    const { findByTestId, waitFor } = renderSettings();
    await waitFor(() => findByTestId(Button, "stop-agent"));
    findByTestId(Button, "stop-agent").trigger("onClick");
    triggerWith(findByTestId(TextArea, "kill-switch-reason"), "onChange", "bounces");
    findByTestId(Button, "kill-switch-confirm").trigger("onClick");
    await waitFor(() => expect(sent.some((r) => r.method === "PUT")).toBe(true));
    expect(sent.find((r) => r.method === "PUT")!.body).toEqual({
      scope: { type: "agent", value: "enrichment-bot" },
      state: "on",
      reason: "bounces",
    });
  });

  it.each<Shape>(["direct", "proxied"])(
    "shows Tollgate's message when the page cannot load (%s), and retries",
    async (shape) => {
      let fail = true;
      fakeHubSpotFetch(
        () =>
          fail ? refused(403, "portal_not_installed", "Tollgate is not installed in portal 62515") : ok(makeSettings()),
        shape,
      );
      const { find, findByTestId, maybeFind, waitFor } = renderSettings();
      await waitFor(() => findByTestId(ErrorState, "settings-error"));
      expect(find(ErrorState).find(Text).text).toBe("Tollgate is not installed in portal 62515");
      fail = false;
      findByTestId(Button, "settings-retry").trigger("onClick");
      await waitFor(() => expect(maybeFind(ErrorState)).toBeNull());
    },
  );
});
