import { Button, Flex, Heading, StatusTag, Text } from "@hubspot/ui-extensions";
import { useState } from "react";
import { formatValue, formatWhen, type Display } from "../lib/format";
import type { Approval, ApprovalStatus } from "../lib/types";
import { FieldName } from "./field-name";

const STATUS_VARIANT: Record<ApprovalStatus, "danger" | "warning" | "info" | "success" | "default"> = {
  pending: "info",
  approved: "info",
  applied: "success",
  rejected: "default",
  expired: "default",
  conflict: "warning",
  failed: "danger",
};

/** How many decided proposals one page of the Recent list shows. */
export const RECENT_PAGE_SIZE = 5;

/** Decided proposals, newest first, a page at a time, so a rep sees what happened to earlier ones. */
export function RecentApprovals({ approvals, display }: { approvals: Approval[]; display?: Display }) {
  const [page, setPage] = useState(0);
  if (approvals.length === 0) return null;
  const newest = [...approvals].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const pages = Math.ceil(newest.length / RECENT_PAGE_SIZE);
  const current = Math.min(page, pages - 1);
  const shown = newest.slice(current * RECENT_PAGE_SIZE, (current + 1) * RECENT_PAGE_SIZE);
  return (
    <Flex direction="column" gap="xs" testId="recent-approvals">
      <Heading>Recent</Heading>
      {shown.map((a) => (
        <Flex key={a.id} direction="column" gap="flush" testId={`recent-${a.id}`}>
          <Flex direction="row" gap="xs" align="center">
            <StatusTag variant={STATUS_VARIANT[a.status]}>{a.status}</StatusTag>
            <FieldName item={a} testId={`recent-field-${a.id}`} weight="demibold" />
          </Flex>
          <Text variant="microcopy">
            {formatValue(a.currentValue)} → {formatValue(a.proposedValue)} · {formatWhen(a.createdAt, display)}
            {a.approvedBy.length > 0 ? ` · by ${a.approvedBy.map((p) => p.name ?? p.id).join(", ")}` : ""}
            {a.rejectReason ? ` · “${a.rejectReason}”` : ""}
          </Text>
        </Flex>
      ))}
      {pages > 1 && (
        <Flex direction="row" gap="xs" align="center">
          <Button testId="recent-previous" size="xs" disabled={current === 0} onClick={() => setPage(current - 1)}>
            Previous
          </Button>
          <Text variant="microcopy" testId="recent-page">
            Page {current + 1} of {pages}
          </Text>
          <Button testId="recent-next" size="xs" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Next
          </Button>
        </Flex>
      )}
    </Flex>
  );
}
