import { Button, EmptyState, ErrorState, Flex, LoadingSpinner, Text, Tile } from "@hubspot/ui-extensions";
import { useMemo, useState } from "react";
import { useApprovals } from "../hooks/use-approvals";
import { useDecisions } from "../hooks/use-decisions";
import { formatValue, type Display } from "../lib/format";
import type { CardIdentity } from "../lib/tollgate-url";
import type { Approval } from "../lib/types";
import { DecisionResults } from "./decision-results";
import { isExpired, ProposalItem } from "./proposal-item";
import { ReasonForm } from "./reason-form";
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

/** Which reject-reason input is open: one proposal's, the batch's, or none. */
type Rejecting = { kind: "one"; id: string } | { kind: "batch" } | null;

export function ApprovalPanel({ identity, refreshObjectProperties, now, applyPollMs, display }: ApprovalPanelProps) {
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
  const [confirming, setConfirming] = useState(false);

  const pending = useMemo(() => (approvals ?? []).filter((a) => a.status === "pending"), [approvals]);
  const recent = useMemo(() => (approvals ?? []).filter((a) => a.status !== "pending"), [approvals]);
  // Only proposals still pending and not expired count: a reload may have settled some that were ticked.
  const at = now();
  const chosen = pending.filter((a) => selected.has(a.id) && !isExpired(a, at));

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
    setConfirming(false);
  };
  const toggle = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

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
          {confirming ? (
            <BatchConfirm
              chosen={chosen}
              busy={busy}
              onConfirm={() => void decideMany(chosen, "approve").then(settle)}
              onCancel={() => setConfirming(false)}
            />
          ) : rejecting?.kind === "batch" ? (
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
                onClick={() => setConfirming(true)}
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
      <RecentApprovals approvals={recent} display={display} />
    </Flex>
  );
}

/** The manifest of a batch approval — every field and value it would apply — and a last confirm. */
function BatchConfirm(props: { chosen: Approval[]; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { chosen, busy } = props;
  return (
    <Tile compact testId="batch-confirm">
      <Flex direction="column" gap="xs">
        <Text format={{ fontWeight: "bold" }}>
          Approve these {chosen.length} changes? Each is applied to the record as shown.
        </Text>
        {chosen.map((a) => (
          <Text key={a.id} variant="microcopy" testId={`batch-item-${a.id}`}>
            {a.field}: {formatValue(a.currentValue)} → {formatValue(a.proposedValue)}
          </Text>
        ))}
        <Flex direction="row" gap="xs">
          <Button
            testId="approve-selected-confirm"
            variant="primary"
            size="xs"
            disabled={busy || chosen.length === 0}
            onClick={props.onConfirm}
          >
            Approve {chosen.length}
          </Button>
          <Button testId="approve-selected-cancel" variant="secondary" size="xs" onClick={props.onCancel}>
            Cancel
          </Button>
        </Flex>
      </Flex>
    </Tile>
  );
}
