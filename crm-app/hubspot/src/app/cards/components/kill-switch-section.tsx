import { Button, Flex, Heading, Select, Tag, Text, Tile } from "@hubspot/ui-extensions";
import { useState } from "react";
import { TollgateRequestError } from "../lib/fetch-tollgate";
import { formatWhen, type Display } from "../lib/format";
import { setKillSwitch } from "../lib/tollgate-api";
import type { PageIdentity } from "../lib/tollgate-url";
import type { KillSwitchView, SettingsView } from "../lib/types";
import { ReasonForm } from "./reason-form";

/** What the admin is about to do; the reason form is open for it. */
type Pending = { kind: "pull"; scope: { type: string; value?: string } } | { kind: "lift"; sw: KillSwitchView };

export interface KillSwitchSectionProps {
  identity: PageIdentity;
  settings: SettingsView;
  display: Display;
  /** Fetches the settings again after a change. */
  reload: () => void;
}

/**
 * Kill switches inside HubSpot: the active ones (who, when, why), **Stop all agents** (the tenant
 * switch) and **Stop agent…** (one agent) when the user's role may, and **Lift** on each. Every
 * change asks for a reason; Tollgate applies the role rules (who may lift what) and its refusal is
 * shown as it says it.
 */
export function KillSwitchSection({ identity, settings, display, reload }: KillSwitchSectionProps) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [agent, setAgent] = useState(settings.scopes.agents[0] ?? "");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const { you } = settings;

  const submit = async (reason: string) => {
    if (!pending) return;
    const scope = pending.kind === "pull" ? pending.scope : pending.sw.scope;
    setBusy(true);
    try {
      await setKillSwitch(identity, {
        scope: scope.type === "tenant" ? { type: "tenant" } : { type: scope.type, value: scope.value ?? null },
        state: pending.kind === "pull" ? "on" : "off",
        reason,
      });
      setOutcome({
        ok: true,
        message: pending.kind === "pull" ? `Stopped: ${describe(scope)}` : `Lifted: ${describe(scope)}`,
      });
      setPending(null);
      reload();
    } catch (err) {
      setOutcome({ ok: false, message: err instanceof TollgateRequestError ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex direction="column" gap="xs" testId="kill-switches">
      <Heading>Kill switches</Heading>
      {outcome && (
        <Text testId="kill-switch-outcome" format={{ fontWeight: "bold" }}>
          {outcome.ok ? "" : "Refused: "}
          {outcome.message}
        </Text>
      )}
      {settings.killSwitches.length === 0 ? (
        <Text testId="kill-switches-none">No kill switch is on: agents act as the policy allows.</Text>
      ) : (
        settings.killSwitches.map((sw) => (
          <Tile compact key={`${sw.scope.type}:${sw.scope.value ?? ""}`} testId={`switch-${sw.scope.type}`}>
            <Flex direction="row" gap="xs" align="center" wrap="wrap">
              <Tag variant="error">ON</Tag>
              <Text format={{ fontWeight: "bold" }}>{describe(sw.scope)}</Text>
              <Text variant="microcopy">
                {sw.reason} — {sw.who.id}
                {sw.who.role ? ` (${sw.who.role})` : ""}, {formatWhen(sw.when, display)}
              </Text>
              {you.mayPullScoped && (
                <Button testId={`lift-${sw.scope.type}`} size="xs" onClick={() => setPending({ kind: "lift", sw })}>
                  Lift
                </Button>
              )}
            </Flex>
          </Tile>
        ))
      )}
      {pending ? (
        <ReasonForm
          id="kill-switch"
          label={`Why ${pending.kind === "pull" ? "stop" : "lift"}: ${describe(pending.kind === "pull" ? pending.scope : pending.sw.scope)}`}
          confirmLabel={pending.kind === "pull" ? "Stop" : "Lift"}
          disabled={busy}
          onConfirm={(reason) => void submit(reason)}
          onCancel={() => setPending(null)}
        />
      ) : (
        <Flex direction="row" gap="xs" align="end" wrap="wrap">
          {you.mayPullTenant && (
            <Button
              testId="stop-all"
              variant="destructive"
              size="xs"
              onClick={() => setPending({ kind: "pull", scope: { type: "tenant" } })}
            >
              Stop all agents
            </Button>
          )}
          {you.mayPullScoped && settings.scopes.agents.length > 0 && (
            <>
              <Select
                testId="stop-agent-choice"
                name="agent"
                label="Agent"
                value={agent}
                options={settings.scopes.agents.map((a) => ({ label: a, value: a }))}
                onChange={(value) => setAgent(String(value))}
              />
              <Button
                testId="stop-agent"
                variant="destructive"
                size="xs"
                onClick={() => setPending({ kind: "pull", scope: { type: "agent", value: agent } })}
              >
                Stop agent
              </Button>
            </>
          )}
          {!you.mayPullScoped && (
            <Text variant="microcopy" testId="kill-switch-role">
              Your role ({you.role}) cannot change kill switches; ask a RevOps admin.
            </Text>
          )}
        </Flex>
      )}
    </Flex>
  );
}

function describe(scope: { type: string; value?: string | null | undefined }): string {
  return scope.type === "tenant" ? "every agent in this portal" : `${scope.type} ${scope.value ?? ""}`.trim();
}
