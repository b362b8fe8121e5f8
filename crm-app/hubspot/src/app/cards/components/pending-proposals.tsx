import { Button, EmptyState, Flex, Text, Tile } from "@hubspot/ui-extensions";
import { useState } from "react";
import type { Decisions } from "../hooks/use-decisions";
import { useFormattedValues, type ShownValues } from "../hooks/use-formatted-values";
import { formatValue } from "../lib/format";
import type { Approval } from "../lib/types";
import { isExpired, ProposalItem, type RecordLink } from "./proposal-item";
import { ReasonForm } from "./reason-form";
import { fieldLabelOf } from "./field-name";

export interface PendingProposalsProps {
  pending: Approval[];
  now: Date;
  decisions: Pick<Decisions, "busy" | "approve" | "reject" | "decideMany">;
  /** What the empty state says. */
  emptyText: string;
  /** In the inbox, each proposal names and links its record. */
  recordLinkOf?: ((approval: Approval) => RecordLink) | undefined;
}

/** Which reject-reason input is open: one proposal's, the batch's, or none. */
type Rejecting = { kind: "one"; id: string } | { kind: "batch" } | null;

/**
 * Pending proposals to decide one by one, or several at once: tick them, then **Approve selected**
 * lists every field and value the batch would apply and asks to confirm; **Reject selected** asks
 * for one reason. Expired proposals cannot be ticked or approved. Shared by the record card and
 * the app's inbox.
 */
export function PendingProposals({ pending, now, decisions, emptyText, recordLinkOf }: PendingProposalsProps) {
  const { busy, approve, reject, decideMany } = decisions;
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [rejecting, setRejecting] = useState<Rejecting>(null);
  const [confirming, setConfirming] = useState(false);
  const shown = useFormattedValues(pending);
  // Only proposals still pending and not expired count: a reload may have settled some that were ticked.
  const chosen = pending.filter((a) => selected.has(a.id) && !isExpired(a, now));

  if (pending.length === 0) {
    return (
      <EmptyState testId="approvals-empty" title="No proposals waiting" layout="vertical" imageName="task" flush>
        <Text>{emptyText}</Text>
      </EmptyState>
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
    <Flex direction="column" gap="xs">
      {pending.map((a) => (
        <ProposalItem
          key={a.id}
          approval={a}
          shown={shown[a.id]}
          now={now}
          busy={busy}
          record={recordLinkOf?.(a)}
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
          shown={shown}
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
  );
}

/** The manifest of a batch approval — every field and value it would apply — and a last confirm. */
function BatchConfirm(props: {
  chosen: Approval[];
  shown: Record<string, ShownValues>;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { chosen, busy, shown } = props;
  return (
    <Tile compact testId="batch-confirm">
      <Flex direction="column" gap="xs">
        <Text format={{ fontWeight: "bold" }}>
          Approve these {chosen.length} changes? Each is applied to the record as shown.
        </Text>
        {chosen.map((a) => (
          <Text key={a.id} variant="microcopy" testId={`batch-item-${a.id}`}>
            {fieldLabelOf(a)}: {formatValue(shown[a.id]?.current ?? a.currentValue)} →{" "}
            {formatValue(shown[a.id]?.proposed ?? a.proposedValue)}
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
