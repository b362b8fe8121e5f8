import { Button, ErrorState, Flex, LoadingSpinner, Text } from "@hubspot/ui-extensions";
import { useMemo } from "react";
import { useApprovals } from "../hooks/use-approvals";
import { useDecisions } from "../hooks/use-decisions";
import type { Display } from "../lib/format";
import type { CardIdentity } from "../lib/tollgate-url";
import { DecisionResults } from "./decision-results";
import { PendingProposals } from "./pending-proposals";
import { RecentApprovals } from "./recent-approvals";

export interface ApprovalPanelProps {
  identity: CardIdentity;
  /** HubSpot's `actions.refreshObjectProperties`: the record shows an applied value at once. */
  refreshObjectProperties: () => void;
  now: () => Date;
  /** How often to look again while an approved value is being written. */
  applyPollMs?: number;
  /** The portal's time zone and the user's locale. */
  display?: Display;
}

export function ApprovalPanel({ identity, refreshObjectProperties, now, applyPollMs, display }: ApprovalPanelProps) {
  const { state, reload } = useApprovals(identity);
  const approvals = state.status === "success" ? state.approvals : null;
  const decisions = useDecisions(identity, {
    approvals,
    reload,
    onApplied: refreshObjectProperties,
    pollMs: applyPollMs,
  });
  const pending = useMemo(() => (approvals ?? []).filter((a) => a.status === "pending"), [approvals]);
  const recent = useMemo(() => (approvals ?? []).filter((a) => a.status !== "pending"), [approvals]);

  if (state.status === "loading")
    return <LoadingSpinner testId="approvals-loading" label="Loading proposals" layout="centered" />;
  if (state.status === "error") return <LoadError message={state.error} retry={reload} />;
  return (
    <Flex direction="column" gap="sm">
      <DecisionResults results={decisions.results} />
      <PendingProposals
        pending={pending}
        now={now()}
        decisions={decisions}
        emptyText="When an agent proposes a change to this record that needs a person's approval, it shows here."
      />
      <RecentApprovals approvals={recent} display={display} />
    </Flex>
  );
}

/** Tollgate's message (as sent, or unwrapped from HubSpot's proxy) and a retry. */
export function LoadError({ message, retry }: { message: string; retry: () => void }) {
  return (
    <ErrorState testId="approvals-error" title="Couldn't load proposals">
      <Text>{message}</Text>
      <Button testId="approvals-retry" onClick={retry}>
        Try again
      </Button>
    </ErrorState>
  );
}
