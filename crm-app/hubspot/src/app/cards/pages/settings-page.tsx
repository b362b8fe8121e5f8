import {
  Button,
  DescriptionList,
  DescriptionListItem,
  ErrorState,
  Flex,
  Heading,
  LoadingSpinner,
  ProgressBar,
  Tag,
  Text,
  type BaseContext,
} from "@hubspot/ui-extensions";
import { useMemo } from "react";
import { KillSwitchSection } from "../components/kill-switch-section";
import { useSettings } from "../hooks/use-settings";
import { formatWhen, type Display } from "../lib/format";
import { pageIdentityOf } from "../lib/tollgate-url";
import type { SettingsView } from "../lib/types";

const ROLE_LABELS: Record<string, string> = {
  owner: "Owner",
  revops_admin: "RevOps admin",
  operator: "Operator",
  approver: "Approver",
  auditor: "Auditor",
};

/**
 * The app's settings page, for RevOps: kill switches (see, pull, lift within the role rules), the
 * policy version and what changed, recent reverts, open exceptions with owner and SLA, and the
 * progress of the background setup (provisioning and baseline).
 */
export function SettingsPage({ context }: { context: BaseContext }) {
  const identity = useMemo(() => pageIdentityOf(context), [context]);
  const display: Display = useMemo(
    () => ({ timeZone: context.portal.timezone, locale: context.user.locale }),
    [context.portal.timezone, context.user.locale],
  );
  const { state, reload } = useSettings(identity);
  if (state.status === "loading")
    return <LoadingSpinner testId="settings-loading" label="Loading Tollgate settings" layout="centered" />;
  if (state.status === "error") {
    return (
      <ErrorState testId="settings-error" title="Couldn't load Tollgate's settings">
        <Text>{state.error}</Text>
        <Button testId="settings-retry" onClick={reload}>
          Try again
        </Button>
      </ErrorState>
    );
  }
  const s = state.data;
  return (
    <Flex direction="column" gap="md">
      <Text testId="settings-role">
        You are signed in as {ROLE_LABELS[s.you.role] ?? s.you.role} for portal {s.tenantId}.
      </Text>
      <KillSwitchSection identity={identity} settings={s} display={display} reload={reload} />
      <PolicySection settings={s} display={display} />
      <ActivitySection settings={s} display={display} />
      <SetupSection settings={s} display={display} />
    </Flex>
  );
}

function PolicySection({ settings, display }: { settings: SettingsView; display: Display }) {
  const { policy } = settings;
  return (
    <Flex direction="column" gap="xs" testId="policy">
      <Heading>Policy</Heading>
      <DescriptionList direction="row">
        <DescriptionListItem label="Version">
          <Text testId="policy-version">{policy.version}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Changed">
          <Text>
            {policy.updatedAt ? formatWhen(policy.updatedAt, display) : "—"}
            {policy.updatedBy ? ` by ${policy.updatedBy}` : ""}
          </Text>
        </DescriptionListItem>
      </DescriptionList>
      {policy.changes.map((c) => (
        <Text key={`${c.at}-${c.version ?? ""}`} variant="microcopy" testId="policy-change">
          {formatWhen(c.at, display)} · {c.by}
          {c.version ? ` · ${c.version}` : ""}: {c.summary}
        </Text>
      ))}
    </Flex>
  );
}

function ActivitySection({ settings, display }: { settings: SettingsView; display: Display }) {
  return (
    <Flex direction="column" gap="xs" testId="activity">
      <Heading>Recent reverts</Heading>
      {settings.reverts.length === 0 ? (
        <Text variant="microcopy">No revert in the last 30 days.</Text>
      ) : (
        settings.reverts.map((r) => (
          <Text key={`${r.at}-${r.objectId ?? ""}-${r.summary}`} variant="microcopy" testId="revert">
            {formatWhen(r.at, display)} · {r.objectType ?? ""} {r.objectId ?? ""}
            {r.agentId ? ` · ${r.agentId}` : ""}: {r.summary}
          </Text>
        ))
      )}
      <Heading>Open exceptions</Heading>
      {settings.exceptions.length === 0 ? (
        <Text variant="microcopy">No open exception.</Text>
      ) : (
        settings.exceptions.map((e) => (
          <Flex key={e.id} direction="row" gap="xs" align="center" wrap="wrap" testId={`exception-${e.id}`}>
            <Tag variant={e.overdue ? "error" : "default"}>{e.overdue ? "overdue" : e.state}</Tag>
            <Text variant="microcopy">
              {e.kind.replace(/_/g, " ")} · owner {e.owner ?? "unassigned"} · review by{" "}
              {formatWhen(e.reviewDueAt, display)} · fix by {formatWhen(e.remediateDueAt, display)}
            </Text>
          </Flex>
        ))
      )}
    </Flex>
  );
}

function SetupSection({ settings, display }: { settings: SettingsView; display: Display }) {
  const setup = settings.setup;
  return (
    <Flex direction="column" gap="xs" testId="setup">
      <Heading>Setup and baseline</Heading>
      {!setup ? (
        <Text variant="microcopy">No setup has run since Tollgate started.</Text>
      ) : (
        <>
          <Text testId="setup-state">
            {setup.state === "done" ? "Done" : setup.state === "failed" ? `Failed: ${setup.error ?? ""}` : setup.state}{" "}
            (after {setup.reason.replace(/_/g, " ")}, started {formatWhen(setup.startedAt, display)}) · {setup.created}{" "}
            properties created
          </Text>
          <ProgressBar
            testId="setup-progress"
            title="Objects baselined"
            value={setup.objects.length}
            maxValue={Math.max(
              setup.objects.length,
              setup.state === "done" ? setup.objects.length : setup.objects.length + 1,
            )}
            showPercentage
          />
          {setup.objects.map((o) => (
            <Text key={o.objectType} variant="microcopy" testId={`setup-${o.objectType}`}>
              {o.objectType}: {o.records} records, {o.values} values, {o.calls} calls
            </Text>
          ))}
          {setup.subscriptionsToUpload.length > 0 && (
            <Text testId="setup-subscriptions">
              The policy names fields HubSpot does not report to Tollgate yet ({setup.subscriptionsToUpload.join(", ")}
              ): run `npm run hubspot:webhooks` and `hs project upload`.
            </Text>
          )}
        </>
      )}
    </Flex>
  );
}
