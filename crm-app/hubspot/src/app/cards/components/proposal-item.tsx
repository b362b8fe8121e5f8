import { Button, Checkbox, Flex, Link, Tag, Text, Tile } from "@hubspot/ui-extensions";
import { formatConfidence, formatTimeLeft, formatValue, riskFlagLabel } from "../lib/format";
import type { Approval, ApprovalMessage } from "../lib/types";
import { EvidenceLinks } from "./evidence-links";
import { ReasonForm } from "./reason-form";
import { FieldName, fieldLabelOf } from "./field-name";

/** The record a proposal is about, where it is not the one on screen (the inbox). */
export interface RecordLink {
  label: string;
  href: string;
}

export interface ProposalItemProps {
  approval: Approval;
  /** The values as HubSpot displays them (option labels, owner names, currency, dates), when known. */
  shown?: { current: string | null; proposed: string | null } | undefined;
  record?: RecordLink | undefined;
  now: Date;
  selected: boolean;
  busy: boolean;
  /** The reject-reason input is open for this proposal. */
  rejecting: boolean;
  onSelect: (selected: boolean) => void;
  onApprove: () => void;
  onStartReject: () => void;
  onConfirmReject: (reason: string) => void;
  onCancelReject: () => void;
}

/** One pending proposal: what would change, why the agent thinks so, and the two decisions. */
export function ProposalItem(props: ProposalItemProps) {
  const { approval: a, now, busy } = props;
  const given = a.approvedBy.length;
  // Tollgate refuses an expired approval; the card says so instead of offering the button.
  const expired = isExpired(a, now);
  return (
    <Tile compact testId={`proposal-${a.id}`}>
      <Flex direction="column" gap="xs">
        <Checkbox
          testId={`select-${a.id}`}
          name={`select-${a.id}`}
          checked={props.selected}
          readOnly={busy || expired}
          aria-label={`Select ${fieldLabelOf(a)}`}
          onChange={(checked) => props.onSelect(checked)}
        >
          <FieldName item={a} testId={`field-${a.id}`} />
        </Checkbox>
        {props.record && (
          <Link testId={`record-${a.id}`} href={props.record.href}>
            {props.record.label}
          </Link>
        )}
        {a.message ? (
          <MessageShown id={a.id} message={a.message} />
        ) : (
          <Text testId={`values-${a.id}`}>
            {formatValue(props.shown?.current ?? a.currentValue)} →{" "}
            {formatValue(props.shown?.proposed ?? a.proposedValue)}
          </Text>
        )}
        <Text variant="microcopy" testId={`meta-${a.id}`}>
          Confidence {formatConfidence(a.confidence)}
          {a.source ? ` · source ${a.source}` : ""}
          {a.agentId ? ` · by ${a.agentId}` : ""}
        </Text>
        {a.reason && <Text testId={`reason-${a.id}`}>{a.reason}</Text>}
        <EvidenceLinks evidence={a.evidence} testId={`evidence-${a.id}`} />
        {a.riskFlags.length > 0 && (
          <Flex direction="row" gap="xs" wrap="wrap">
            {a.riskFlags.map((flag) => (
              <Tag key={flag} variant="warning" testId={`risk-${a.id}-${flag}`}>
                {riskFlagLabel(flag)}
              </Tag>
            ))}
          </Flex>
        )}
        <Text variant="microcopy" testId={`status-${a.id}`}>
          {formatTimeLeft(a.expiresAt, now)} · {given} of {a.approvalsNeeded} approvals
        </Text>
        {expired ? (
          <Text variant="microcopy" testId={`expired-${a.id}`}>
            Expired: it can no longer be approved. The agent has to propose it again.
          </Text>
        ) : props.rejecting ? (
          <ReasonForm
            id={`reject-${a.id}`}
            confirmLabel="Reject"
            disabled={busy}
            onConfirm={props.onConfirmReject}
            onCancel={props.onCancelReject}
          />
        ) : (
          <Flex direction="row" gap="xs">
            <Button testId={`approve-${a.id}`} variant="primary" size="xs" disabled={busy} onClick={props.onApprove}>
              Approve
            </Button>
            <Button
              testId={`reject-${a.id}`}
              variant="secondary"
              size="xs"
              disabled={busy}
              onClick={props.onStartReject}
            >
              Reject
            </Button>
          </Flex>
        )}
      </Flex>
    </Tile>
  );
}

/** A send (enrollment, meeting) as the agent would make it: the approver reads the message, not its digest. */
function MessageShown({ id, message }: { id: string; message: ApprovalMessage }) {
  const lines: [string, string | undefined][] = [
    ["To", message.to],
    ["From", message.fromName && message.from ? `${message.fromName} <${message.from}>` : message.from],
    ["Subject", message.subject],
    ["Template", message.template],
    ["Sequence", message.sequenceId],
    ["Meeting at", message.meetingAt],
  ];
  return (
    <Flex direction="column" gap="flush" testId={`message-${id}`}>
      {lines
        .filter((line): line is [string, string] => line[1] !== undefined && line[1] !== "")
        .map(([label, value]) => (
          <Text key={label} variant="microcopy" testId={`message-${id}-${label.toLowerCase().replace(" ", "-")}`}>
            {label}: {value}
          </Text>
        ))}
      {message.body !== undefined && <Text testId={`message-${id}-body`}>{message.body}</Text>}
    </Flex>
  );
}

/** Past its expiry: Tollgate would refuse to approve it. */
export function isExpired(approval: Pick<Approval, "expiresAt">, now: Date): boolean {
  const at = Date.parse(approval.expiresAt);
  return !Number.isNaN(at) && at <= now.getTime();
}
