import { Button, EmptyState, ErrorState, Flex, LoadingSpinner, Text } from "@hubspot/ui-extensions";
import { useMemo, useState } from "react";
import { useApprovals } from "../hooks/use-approvals";
import { useDecisions } from "../hooks/use-decisions";
import type { CardIdentity } from "../lib/tollgate-url";
import { DecisionResults } from "./decision-results";
import { ProposalItem } from "./proposal-item";
import { ReasonForm } from "./reason-form";
import { RecentApprovals } from "./recent-approvals";

export interface ApprovalPanelProps {
  identity: CardIdentity;
  /** HubSpot's `actions.refreshObjectProperties`: the record shows an applied value at once. */
  refreshObjectProperties: () => void;
  now: () => Date;
  /** How often to look again while an approved value is being written. */
  applyPollMs?: number;
}

/** Which reject-reason input is open: one proposal's, the batch's, or none. */
type Rejecting = { kind: "one"; id: string } | { kind: "batch" } | null;

export function ApprovalPanel({ identity, refreshObjectProperties, now, applyPollMs }: ApprovalPanelProps) {
  const { state, reload } = useApprovals(identity);
  const approvals = state.status === "success" ? state.approvals : null;
  const { busy, results, approve, reject, decideMany } = useDecisions(identity, {
    approvals,
    reload,
    onApplied: refreshObjectProperties,
    pollMs: applyPollMs,
  });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [rejecting, setRejecting] = useState<Rejecting>(null);

  const pending = useMemo(() => (approvals ?? []).filter((a) => a.status === "pending"), [approvals]);
  const recent = useMemo(() => (approvals ?? []).filter((a) => a.status !== "pending"), [approvals]);
  // Only proposals still pending count: a reload may have settled some that were ticked.
  const chosen = pending.filter((a) => selected.has(a.id));

  if (state.status === "loading")
    return <LoadingSpinner testId="approvals-loading" label="Loading proposals" layout="centered" />;
  if (state.status === "error") {
    return (
      <ErrorState testId="approvals-error" title="Couldn't load proposals">
        <Text>{state.error}</Text>
        <Button testId="approvals-retry" onClick={reload}>
          Try again
        </Button>
      </ErrorState>
    );
  }

  const settle = () => {
    setSelected(new Set());
    setRejecting(null);
  };
  const toggle = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const at = now();

  return (
    <Flex direction="column" gap="sm">
      <DecisionResults results={results} />
      {pending.length === 0 ? (
        <EmptyState testId="approvals-empty" title="No proposals waiting" layout="vertical" imageName="task" flush>
          <Text>
            When an agent proposes a change to this record that needs a person&apos;s approval, it shows here.
          </Text>
        </EmptyState>
      ) : (
        <Flex direction="column" gap="xs">
          {pending.map((a) => (
            <ProposalItem
              key={a.id}
              approval={a}
              now={at}
              busy={busy}
              selected={selected.has(a.id)}
              rejecting={rejecting?.kind === "one" && rejecting.id === a.id}
              onSelect={(on) => toggle(a.id, on)}
              onApprove={() => void approve(a).then(settle)}
              onStartReject={() => setRejecting({ kind: "one", id: a.id })}
              onConfirmReject={(reason) => void reject(a, reason).then(settle)}
              onCancelReject={() => setRejecting(null)}
            />
          ))}
          {rejecting?.kind === "batch" ? (
            <ReasonForm
              id="reject-selected"
              confirmLabel={`Reject ${chosen.length} selected`}
              disabled={busy || chosen.length === 0}
              onConfirm={(reason) => void decideMany(chosen, "reject", reason).then(settle)}
              onCancel={() => setRejecting(null)}
            />
          ) : (
            <Flex direction="row" gap="xs">
              <Button
                testId="approve-selected"
                variant="primary"
                size="xs"
                disabled={busy || chosen.length === 0}
                onClick={() => void decideMany(chosen, "approve").then(settle)}
              >
                Approve selected ({chosen.length})
              </Button>
              <Button
                testId="reject-selected"
                variant="secondary"
                size="xs"
                disabled={busy || chosen.length === 0}
                onClick={() => setRejecting({ kind: "batch" })}
              >
                Reject selected ({chosen.length})
              </Button>
            </Flex>
          )}
        </Flex>
      )}
      <RecentApprovals approvals={recent} />
    </Flex>
  );
}
