import { Flex, Heading, StatusTag, Text } from "@hubspot/ui-extensions";
import { formatValue, formatWhen } from "../lib/format";
import type { Approval, ApprovalStatus } from "../lib/types";

const STATUS_VARIANT: Record<ApprovalStatus, "danger" | "warning" | "info" | "success" | "default"> = {
  pending: "info",
  approved: "info",
  applied: "success",
  rejected: "default",
  expired: "default",
  conflict: "warning",
  failed: "danger",
};

/** Decided proposals, newest first, so a rep sees what happened to earlier ones. */
export function RecentApprovals({ approvals }: { approvals: Approval[] }) {
  if (approvals.length === 0) return null;
  const newest = [...approvals].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return (
    <Flex direction="column" gap="xs" testId="recent-approvals">
      <Heading>Recent</Heading>
      {newest.map((a) => (
        <Flex key={a.id} direction="column" gap="flush" testId={`recent-${a.id}`}>
          <Flex direction="row" gap="xs" align="center">
            <StatusTag variant={STATUS_VARIANT[a.status]}>{a.status}</StatusTag>
            <Text format={{ fontWeight: "demibold" }}>{a.field}</Text>
          </Flex>
          <Text variant="microcopy">
            {formatValue(a.currentValue)} → {formatValue(a.proposedValue)} · {formatWhen(a.createdAt)}
            {a.approvedBy.length > 0 ? ` · by ${a.approvedBy.map((p) => p.name ?? p.id).join(", ")}` : ""}
            {a.rejectReason ? ` · “${a.rejectReason}”` : ""}
          </Text>
        </Flex>
      ))}
    </Flex>
  );
}
